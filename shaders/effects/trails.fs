/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Feedback trails: last frame's picture fades behind the live one and can drift (zoom, spin) into a tunnel. The trails live in a persistent half-size float buffer; the live frame stays sharp on top.",
    "CREDIT": "livesync",
    "CATEGORIES": ["Filter", "Feedback", "Stylize"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "trailLength", "TYPE": "float", "LABEL": "Trail length", "MIN": 0.0,
         "MAX": 0.97, "DEFAULT": 0.82,
         "DESCRIPTION": "How much of the trails survives each 1/60 s (0: no trails)"},
        {"NAME": "zoomDrift", "TYPE": "float", "LABEL": "Zoom drift", "MIN": -0.03,
         "MAX": 0.03, "DEFAULT": 0.006,
         "DESCRIPTION": "Trails grow (positive: a tunnel outwards) or shrink, per 1/60 s"},
        {"NAME": "spinDrift", "TYPE": "float", "LABEL": "Spin drift", "MIN": -0.03,
         "MAX": 0.03, "DEFAULT": 0.0,
         "DESCRIPTION": "Trails turn around the centre, radians per 1/60 s"},
        {"NAME": "ghost", "TYPE": "bool", "LABEL": "Ghost echo", "DEFAULT": false,
         "DESCRIPTION": "Off: light trails behind the live frame (lighten). On: classic video feedback, the whole frame echoes"}
    ],
    "PASSES": [
        {"TARGET": "feedback", "PERSISTENT": true, "FLOAT": true,
         "WIDTH": "$WIDTH/2", "HEIGHT": "$HEIGHT/2"},
        {}
    ]
}*/

// Pass 0 (half size) mixes the live frame, box-filtered 2x2, with last frame's trails read
// through the drift, into the persistent float buffer (float: slow fades never stick at a
// grey step). A buffer still cleared to transparent black (first frame, resize) has no
// history: alpha says which texels have. Pass 1 (full size) shows the
// buffer texel over each 2x2 block with the live frame's own detail put back (live minus
// the same 2x2 box), so the singer stays sharp and a still picture comes out unchanged.
//
// Both passes run the same reads (at different coordinates): software GL (llvmpipe)
// executes every branch of a shader, so few fetch sites keep it cheap.

vec2 clampUv(vec2 uv, vec2 size) {
    vec2 half_texel = 0.5 / size;
    return clamp(uv, half_texel, 1.0 - half_texel);
}

// x^steps for steps in 0.25..4 without pow (transcendentals are slow in software GL):
// between whole powers, interpolated.
float decay(float x, float steps) {
    float x2 = x * x;
    vec4 powers = vec4(1.0, x, x2, x2 * x);
    float n = clamp(floor(steps), 0.0, 3.0);
    float f = steps - n;
    vec4 pick = vec4(equal(vec4(n), vec4(0.0, 1.0, 2.0, 3.0)));
    float lo = dot(powers, pick);
    return mix(lo, lo * x, f);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 inSize = IMG_SIZE(inputImage);
    bool first = PASSINDEX == 0;
    float steps = TIMEDELTA > 0.0 ? clamp(TIMEDELTA * 60.0, 0.25, 4.0) : 1.0;

    // Where last frame's trail came from: scaled and turned about the centre, in square
    // units so a spin stays round.
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    vec2 p = (uv - 0.5) * vec2(aspect, 1.0);
    float angle = -spinDrift * steps;  // small (|angle| <= 0.12): a series is exact enough
    float c = 1.0 - 0.5 * angle * angle, s = angle - angle * angle * angle / 6.0;
    p = mat2(c, s, -s, c) * p / (1.0 + zoomDrift * steps);
    vec2 src = p / vec2(aspect, 1.0) + 0.5;

    // The half-size texel this pixel belongs to (in pass 0: the pixel itself) covers a 2x2
    // block of input texels: their mean is the soft live frame, and in pass 1 one of them is
    // this very pixel. Four texelFetch calls: far cheaper than filtered reads in software GL.
    vec2 fbSize = IMG_SIZE(feedback);
    vec2 block = (floor(uv * fbSize) + 0.5) / fbSize;
    ivec2 maxTexel = ivec2(inSize) - 1;
    ivec2 corner = clamp(ivec2(floor(block * inSize - 0.5)), ivec2(0), maxTexel);
    vec3 t00 = texelFetch(inputImage, corner, 0).rgb;
    vec3 t10 = texelFetch(inputImage, min(corner + ivec2(1, 0), maxTexel), 0).rgb;
    vec3 t01 = texelFetch(inputImage, min(corner + ivec2(0, 1), maxTexel), 0).rgb;
    vec3 t11 = texelFetch(inputImage, min(corner + ivec2(1, 1), maxTexel), 0).rgb;
    vec3 soft = (t00 + t10 + t01 + t11) * 0.25;
    ivec2 own = clamp(ivec2(uv * inSize), ivec2(0), maxTexel) - corner;
    vec3 live = own.y > 0 ? (own.x > 0 ? t11 : t01) : (own.x > 0 ? t10 : t00);
    vec4 trails = IMG_NORM_PIXEL(feedback, clampUv(first ? src : block, fbSize));

    if (first) {
        vec2 inside = step(vec2(0.0), src) * step(src, vec2(1.0));  // nothing drifts in
        float keep = decay(trailLength, steps) * step(1e-4, trails.a) * inside.x * inside.y;
        vec3 color = ghost ? mix(soft, trails.rgb, keep) : max(soft, trails.rgb * keep);
        gl_FragColor = vec4(color, 1.0);  // alpha 1: this texel now has history
    } else {
        // Trails plus the live frame's detail (live minus its 2x2 box): a still picture comes
        // out exactly as it went in, in both modes.
        vec3 color = trails.rgb + (live - soft);
        color = ghost ? color : max(live, color);
        gl_FragColor = vec4(clamp(color, 0.0, 1.0), 1.0);
    }
}

/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Glow: the bright parts of the frame, filtered down to quarter size (bright pass), blurred there by a separable blur in two passes, and screened back over the frame.",
    "CREDIT": "livesync",
    "CATEGORIES": ["Filter", "Blur", "Stylize"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "threshold", "TYPE": "float", "LABEL": "Threshold", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 0.7, "DESCRIPTION": "Brightness above which things glow (soft knee)"},
        {"NAME": "intensity", "TYPE": "float", "LABEL": "Intensity", "MIN": 0.0, "MAX": 3.0,
         "DEFAULT": 1.0, "DESCRIPTION": "How much glow is added (0: off)"},
        {"NAME": "radius", "TYPE": "float", "LABEL": "Radius", "MIN": 0.5, "MAX": 3.0,
         "DEFAULT": 1.25,
         "DESCRIPTION": "Size of the glow (1: reaches about 3% of the frame height)"}
    ],
    "PASSES": [
        {"TARGET": "glow", "PERSISTENT": true, "WIDTH": "$WIDTH/4", "HEIGHT": "$HEIGHT/4"},
        {"TARGET": "glow", "PERSISTENT": true, "WIDTH": "$WIDTH/4", "HEIGHT": "$HEIGHT/4"},
        {"TARGET": "glow", "PERSISTENT": true, "WIDTH": "$WIDTH/4", "HEIGHT": "$HEIGHT/4"},
        {}
    ]
}*/

// One quarter-size buffer, "glow", goes through three passes: bright pass (0), horizontal
// blur (1), vertical blur (2), each reading what the pass before wrote (it is PERSISTENT so
// that reading it while drawing it is defined: the host ping-pongs it); pass 3 screens it
// over the frame. Nothing is kept from one frame to the next: pass 0 overwrites it all.
//
// Written for software GL too: llvmpipe executes every branch of a shader in every pass, so
// the reads sit in loops whose length depends on the pass (a loop not taken costs one
// iteration), one loop per image, and use texelFetch, much cheaper there than a filtered
// read. The input loop serves passes 0 and 3, the blur loop passes 1 and 2.

ivec2 clampTexel(ivec2 t, vec2 size) {
    return clamp(t, ivec2(0), ivec2(size) - 1);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 inSize = IMG_SIZE(inputImage);
    vec2 glowSize = IMG_SIZE(glow);
    ivec2 here = ivec2(gl_FragCoord.xy);

    // Input: in pass 0 the 4x4 block under each quarter-size texel, as a checkerboard of 8
    // texels (every row and column of the block twice: thin lines keep their weight); in
    // pass 3 the pixel itself.
    int reads = PASSINDEX == 0 ? 8 : (PASSINDEX == 3 ? 1 : 0);
    ivec2 corner = ivec2(floor(uv * inSize)) - (PASSINDEX == 0 ? 2 : 0);
    vec4 source = vec4(0.0);
    for (int i = 0; i < reads; i++) {
        int row = i / 2;
        ivec2 offset = ivec2((i % 2) * 2 + row % 2, row);
        source += texelFetch(inputImage, clampTexel(corner + offset, inSize), 0);
    }
    source /= float(max(reads, 1));

    // Passes 1 and 2: blur the glow buffer along x, then y, over -taps..taps with
    // triweight weights (1 - x^2)^3, Gaussian-like without exp(). Other passes: no taps.
    int taps = int(ceil(5.0 * radius));
    ivec2 dir = PASSINDEX == 1 ? ivec2(1, 0) : ivec2(0, 1);
    int count = (PASSINDEX == 1 || PASSINDEX == 2) ? 2 * taps + 1 : 0;
    ivec2 first = here - dir * taps;
    float scale = 1.0 / float(taps + 1);
    vec3 sum = vec3(0.0);
    float total = 0.0;
    for (int i = 0; i < count; i++) {
        float x = float(i - taps) * scale;
        float w = 1.0 - x * x;
        w = w * w * w;
        sum += texelFetch(glow, clampTexel(first + dir * i, glowSize), 0).rgb * w;
        total += w;
    }

    if (PASSINDEX == 0) {
        // Keep what is bright, with a soft knee so the glow fades in rather than pops.
        float bright = max(source.r, max(source.g, source.b));
        float knee = 0.2;
        float soft = clamp(bright - threshold + knee, 0.0, 2.0 * knee);
        soft = soft * soft / (4.0 * knee);
        float part = max(soft, bright - threshold) / max(bright, 1e-4);
        gl_FragColor = vec4(source.rgb * part, 1.0);
    } else if (PASSINDEX < 3) {
        gl_FragColor = vec4(sum / max(total, 1e-6), 1.0);
    } else {
        // Upsample bilinearly (from four texelFetch calls), then screen the glow over the
        // frame: it never clips flat, and intensity 0 is the frame.
        vec2 at = uv * glowSize - 0.5;
        vec2 f = fract(at);
        ivec2 c0 = ivec2(floor(at));
        vec3 g00 = texelFetch(glow, clampTexel(c0, glowSize), 0).rgb;
        vec3 g10 = texelFetch(glow, clampTexel(c0 + ivec2(1, 0), glowSize), 0).rgb;
        vec3 g01 = texelFetch(glow, clampTexel(c0 + ivec2(0, 1), glowSize), 0).rgb;
        vec3 g11 = texelFetch(glow, clampTexel(c0 + ivec2(1, 1), glowSize), 0).rgb;
        vec3 glowColor = mix(mix(g00, g10, f.x), mix(g01, g11, f.x), f.y);
        vec3 g = 1.5 * glowColor * intensity;
        g = g / (1.0 + g);
        gl_FragColor = vec4(1.0 - (1.0 - source.rgb) * (1.0 - g), source.a);
    }
}

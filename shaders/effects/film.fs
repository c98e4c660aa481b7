/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Film look: animated grain (a new grain field 24 times a second, strongest in the mid tones), a subtle gate weave, a soft vignette and optional letterbox bars for a wider aspect ratio.",
    "CREDIT": "livesync",
    "CATEGORIES": ["Filter", "Film", "Stylize"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "grain", "TYPE": "float", "LABEL": "Grain", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 0.35, "DESCRIPTION": "Amount of film grain (0: none)"},
        {"NAME": "weave", "TYPE": "float", "LABEL": "Gate weave", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 0.3,
         "DESCRIPTION": "How much the picture wanders in the gate (1: up to about 0.4% of the height)"},
        {"NAME": "softVignette", "TYPE": "float", "LABEL": "Vignette", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 0.4, "DESCRIPTION": "Soft darkening of the edges (0: none)"},
        {"NAME": "letterbox", "TYPE": "float", "LABEL": "Letterbox aspect", "MIN": 1.0,
         "MAX": 2.76, "DEFAULT": 1.0,
         "DESCRIPTION": "Black bars down to this width/height ratio: 2.39 is scope, 1.85 flat; at or below the frame's own ratio (1.78 for 16:9) there are no bars"}
    ]
}*/

// Hashes and noise without sin(): cheap in software GL and stable for any TIME.
float hash13(vec3 p) {
    p = fract(p * vec3(0.1031, 0.1030, 0.0973));
    p += dot(p, p.yzx + 33.33);
    return fract((p.x + p.y) * p.z);
}

// Smooth 1-D value noise in -1..1.
float wander(float x, float seed) {
    float i = floor(x);
    float f = fract(x);
    float a = hash13(vec3(i, seed, 1.0));
    float b = hash13(vec3(i + 1.0, seed, 1.0));
    return mix(a, b, f * f * (3.0 - 2.0 * f)) * 2.0 - 1.0;
}

void main() {
    vec2 uv = isf_FragNormCoord;
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    // The film advances 24 frames a second: grain and jitter step at that rate.
    float filmFrame = mod(floor(TIME * 24.0), 4096.0);

    // Gate weave: a slow wander of the whole picture plus a little per-frame jitter.
    float t = mod(TIME, 4096.0);
    vec2 drift = vec2(wander(t * 1.3, 3.0), wander(t * 1.1, 7.0));
    vec2 jitter = vec2(hash13(vec3(filmFrame, 1.0, 7.0)), hash13(vec3(filmFrame, 5.0, 3.0)))
        - 0.5;
    vec2 offset = (drift * 0.75 + jitter * 0.5) * vec2(0.5, 1.0) * 0.004 * weave;
    vec2 src = uv + offset * vec2(1.0 / aspect, 1.0);
    vec2 half_texel = 0.5 / IMG_SIZE(inputImage);
    vec4 source = IMG_NORM_PIXEL(inputImage, clamp(src, half_texel, 1.0 - half_texel));
    vec3 c = source.rgb;

    // Grain: two hashes make it closer to Gaussian; mostly luminance with a touch of colour,
    // strongest in the mid tones as on film, weaker in deep blacks and highlights.
    vec2 pixel = floor(gl_FragCoord.xy);
    float n = hash13(vec3(pixel, filmFrame)) + hash13(vec3(pixel + 71.0, filmFrame + 13.0))
        - 1.0;
    float chroma = hash13(vec3(pixel, filmFrame + 29.0)) - 0.5;
    float luma = dot(c, vec3(0.2126, 0.7152, 0.0722));
    float response = 0.35 + 2.6 * luma * (1.0 - luma);
    c += grain * 0.16 * response * (vec3(n) + vec3(chroma, -chroma, chroma) * 0.25);

    // Soft vignette over the whole frame, shaped by its aspect.
    vec2 d = (uv - 0.5) * vec2(aspect, 1.0);
    float r2 = dot(d, d) / (0.25 * (aspect * aspect + 1.0));
    c *= 1.0 - softVignette * 0.6 * smoothstep(0.1, 1.2, r2);

    // Letterbox: bars top and bottom when the wanted ratio is wider than the frame's.
    float visible = min(1.0, aspect / max(letterbox, 1e-3));
    float edge = abs(uv.y - 0.5) * 2.0;
    float bar = smoothstep(visible - 1.5 / RENDERSIZE.y, visible + 1.5 / RENDERSIZE.y, edge);
    c *= 1.0 - bar * step(visible, 0.999);

    gl_FragColor = vec4(clamp(c, 0.0, 1.0), source.a);
}

/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Kaleidoscope: the frame folded into mirrored segments around the centre, slowly turning, mixed over the original (mix 0: the frame unchanged).",
    "CREDIT": "livesync",
    "CATEGORIES": ["Filter", "Geometry Adjustment", "Stylize"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "segments", "TYPE": "float", "LABEL": "Segments", "MIN": 2.0, "MAX": 16.0,
         "DEFAULT": 6.0, "DESCRIPTION": "Number of mirrored segments (rounded to a whole number)"},
        {"NAME": "spin", "TYPE": "float", "LABEL": "Spin", "MIN": -0.5, "MAX": 0.5,
         "DEFAULT": 0.03, "DESCRIPTION": "Turns per second of the pattern"},
        {"NAME": "zoom", "TYPE": "float", "LABEL": "Zoom", "MIN": 0.5, "MAX": 3.0,
         "DEFAULT": 1.0, "DESCRIPTION": "Magnifies the folded picture"},
        {"NAME": "mixAmount", "TYPE": "float", "LABEL": "Mix", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 1.0, "DESCRIPTION": "0: the frame unchanged, 1: only the kaleidoscope"}
    ]
}*/

const float TAU = 6.28318530718;

// atan(y, x) by a polynomial (error about 1e-5 rad): transcendentals are slow in software GL.
float fastAtan2(float y, float x) {
    float ax = abs(x), ay = abs(y);
    float t = min(ax, ay) / max(max(ax, ay), 1e-9);
    float s = t * t;
    float r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * t + t;
    r = ay > ax ? 1.57079637 - r : r;
    r = x < 0.0 ? 3.14159274 - r : r;
    return y < 0.0 ? -r : r;
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 inSize = IMG_SIZE(inputImage);
    vec4 original = texelFetch(inputImage, clamp(ivec2(uv * inSize), ivec2(0), ivec2(inSize) - 1), 0);
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    vec2 p = (uv - 0.5) * vec2(aspect, 1.0);
    float n = max(floor(segments + 0.5), 2.0);
    float wedge = TAU / n;
    float angle = fastAtan2(p.y, p.x) - fract(TIME * spin) * TAU;
    // Fold the angle into one wedge and mirror every other one, so neighbours meet
    // seamlessly.
    float a = mod(angle, wedge);
    a = min(a, wedge - a);
    // The sampled wedge points down from the centre: through the character's mouth, so the
    // lip-sync repeats around the circle. Its direction, turned by at most 45 degrees from
    // straight down, comes from short series for sin and cos.
    float o = a - 0.25 * wedge;
    float o2 = o * o;
    float sinO = o * (1.0 - o2 / 6.0 * (1.0 - o2 / 20.0));
    float cosO = 1.0 - o2 / 2.0 * (1.0 - o2 / 12.0 * (1.0 - o2 / 30.0));
    vec2 q = vec2(sinO, -cosO) * length(p) / zoom;
    vec2 src = q / vec2(aspect, 1.0) + 0.5;
    // Mirror-repeat outside the frame so the corners stay filled.
    src = 1.0 - abs(1.0 - mod(src, 2.0));
    vec2 half_texel = 0.5 / inSize;
    vec4 folded = IMG_NORM_PIXEL(inputImage, clamp(src, half_texel, 1.0 - half_texel));
    gl_FragColor = mix(original, folded, clamp(mixAmount, 0.0, 1.0));
}

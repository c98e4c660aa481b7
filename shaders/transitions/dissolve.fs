/*{
  "DESCRIPTION": "Dissolve: the next scene shows through in soft-edged specks that grow until it has replaced the last",
  "CREDIT": "livesync",
  "ISFVSN": "2",
  "CATEGORIES": ["Dissolve"],
  "INPUTS": [
    {"NAME": "startImage", "TYPE": "image"},
    {"NAME": "endImage", "TYPE": "image"},
    {"NAME": "progress", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.0},
    {"NAME": "grain", "LABEL": "Grain", "TYPE": "float", "MIN": 2.0, "MAX": 200.0, "DEFAULT": 40.0},
    {"NAME": "softness", "LABEL": "Softness", "TYPE": "float", "MIN": 0.0, "MAX": 0.5, "DEFAULT": 0.1}
  ]
}*/

// Value noise over a grid `grain` cells high: each place switches when progress passes its
// noise value, eased over `softness`, so the change spreads in blotches rather than pixels.

float hash(vec2 p) {
    p = fract(p * vec2(123.34, 456.21));
    p += dot(p, p + 45.32);
    return fract(p.x * p.y);
}

float noise(vec2 p) {
    vec2 i = floor(p);
    vec2 f = fract(p);
    vec2 u = f * f * (3.0 - 2.0 * f);
    return mix(mix(hash(i), hash(i + vec2(1.0, 0.0)), u.x),
               mix(hash(i + vec2(0.0, 1.0)), hash(i + vec2(1.0, 1.0)), u.x), u.y);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 cells = vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0) * grain;
    float n = 0.7 * noise(uv * cells) + 0.3 * noise(uv * cells * 3.1 + 7.0);
    // Stretched so that progress 0 shows only the start and 1 only the end.
    float edge = progress * (1.0 + 2.0 * softness) - softness;
    float t = smoothstep(edge - softness, edge + softness, n);
    gl_FragColor = mix(IMG_NORM_PIXEL(endImage, uv), IMG_NORM_PIXEL(startImage, uv), t);
}

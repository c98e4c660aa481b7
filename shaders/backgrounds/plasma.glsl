// name: Liquid Plasma — slow, silky domain-warped plasma in magenta/cyan/indigo with a calm, darker centre; reacts to: syn_Level, syn_BassLevel

// An iterated sine domain warp gives smooth liquid folds; a cosine palette
// colours it. The warp is weaker in the middle of the screen and the middle is
// slightly dimmed, so a character placed there reads clearly.
// Loudness shifts the palette warmer and brighter; bass swells the folds and
// makes the silk highlights glow.

// sin() by a folded odd polynomial (error under 1e-6): llvmpipe's own sin() does a long
// range reduction per call, and this shader's warp calls it 16 times a pixel.
float fsin(float x) {
    float u = 4.0 * abs(fract(x * 0.15915494 - 0.25) - 0.5) - 1.0;
    float u2 = u * u;
    return u * (1.57079099 + u2 * (-0.64589265 + u2 * (0.07943394 + u2 * -0.00433286)));
}
vec2 fsin(vec2 x) {
    vec2 u = 4.0 * abs(fract(x * 0.15915494 - 0.25) - 0.5) - 1.0;
    vec2 u2 = u * u;
    return u * (1.57079099 + u2 * (-0.64589265 + u2 * (0.07943394 + u2 * -0.00433286)));
}

// cyclic 4-colour ramp: indigo -> violet -> hot pink -> cyan -> indigo
vec3 palette(float x) {
    const vec3 c0 = vec3(0.04, 0.02, 0.22);
    const vec3 c1 = vec3(0.38, 0.06, 0.62);
    const vec3 c2 = vec3(1.00, 0.22, 0.58);
    const vec3 c3 = vec3(0.10, 0.78, 1.00);
    x = fract(x) * 4.0;
    float w = smoothstep(0.0, 1.0, fract(x));
    float k = floor(x);
    vec3 a = k < 1.0 ? c0 : k < 2.0 ? c1 : k < 3.0 ? c2 : c3;
    vec3 b = k < 1.0 ? c1 : k < 2.0 ? c2 : k < 3.0 ? c3 : c0;
    return mix(a, b, w);
}

void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 p = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    float t = iTime * 0.22;
    float lvl = clamp(syn_Level, 0.0, 1.0);
    float bass = clamp(syn_BassLevel, 0.0, 1.0);

    // how far we are from the calm centre (0 in the middle, 1 towards the edges)
    float r = length(p * vec2(0.75, 1.0));
    float edge = smoothstep(0.10, 0.55, r);

    // iterated sine warp
    vec2 q = p * (3.2 - 0.08 * bass);
    float amp = (0.55 + 0.45 * edge) * (0.95 + 0.10 * bass);
    for (int i = 1; i <= 7; i++) {
        float fi = float(i);
        q += amp / fi * fsin(q.yx * (0.9 + 0.35 * fi) + vec2(t * (1.0 + 0.13 * fi), -t * 0.8 + fi * 1.7) + fi);
    }

    float f = 0.5 + 0.5 * fsin(q.x * 0.9 + q.y * 0.7 + t * 0.6);
    float g = 0.5 + 0.5 * fsin(length(q) * 1.3 - t * 0.9);

    // palette position drifts slowly by itself; loudness nudges it along
    float x = f * 0.55 + g * 0.30 + 0.04 * iTime + 0.06 * lvl;
    vec3 col = palette(x);

    // silky highlights along the fold crests; bass makes them glow
    float crest = 0.5 + 0.5 * fsin((f - g) * 8.0 + t * 1.3);
    crest *= crest;
    crest *= crest;
    crest *= crest;
    col += vec3(0.70, 0.85, 1.00) * crest * (0.12 + 0.30 * bass) * (0.15 + 0.85 * edge);

    // loudness lifts brightness
    col *= 0.80 + 0.40 * lvl;

    // calm, slightly darker centre and a soft vignette at the frame edges
    col *= 0.62 + 0.38 * edge;
    vec2 v = fragCoord / iResolution.xy - 0.5;
    col *= 1.0 - 0.7 * dot(v, v);

    col = 1.0 - exp(-col * 1.6);
    fragColor = vec4(col, 1.0);
}

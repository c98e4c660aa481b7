// name: Aurora — slow green/violet aurora curtains over a starry sky, mountain ridge and a mirror lake; reacts to: syn_Level, syn_BassLevel

// Layered aurora curtains: each curtain is a wavy bright lower edge with a
// soft upward tail, broken into vertical "rays" by stretched noise.
// Loudness lifts the overall glow; bass makes the curtains taller.

const float HORIZON = -0.30;

// sin() by a folded odd polynomial (error under 1e-6): cheaper in software GL (llvmpipe)
// than the built-in, which does a long range reduction per call.
float fsin(float x) {
    float u = 4.0 * abs(fract(x * 0.15915494 - 0.25) - 0.5) - 1.0;
    float u2 = u * u;
    return u * (1.57079099 + u2 * (-0.64589265 + u2 * (0.07943394 + u2 * -0.00433286)));
}

float hash12(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * 0.1031);
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.x + p3.y) * p3.z);
}

float hash11(float x) {
    x = fract(x * 0.1031);
    x *= x + 33.33;
    x *= x + x;
    return fract(x);
}

float vnoise(vec2 p) {
    vec2 i = floor(p);
    vec2 f = fract(p);
    vec2 u = f * f * (3.0 - 2.0 * f);
    float a = hash12(i);
    float b = hash12(i + vec2(1.0, 0.0));
    float c = hash12(i + vec2(0.0, 1.0));
    float d = hash12(i + vec2(1.0, 1.0));
    return mix(mix(a, b, u.x), mix(c, d, u.x), u.y);
}

// 1D smooth noise
float noise1(float x) {
    float i = floor(x);
    float f = fract(x);
    return mix(hash11(i), hash11(i + 1.0), f * f * (3.0 - 2.0 * f));
}

vec3 aurora(vec2 p, float t, float lvl, float bass, int layers) {
    const vec3 green = vec3(0.12, 1.00, 0.50);
    vec3 acc = vec3(0.0);
    float tail = 0.16 + 0.10 * bass;            // bass stretches the curtains upward
    // A curtain's lower edge never dips below 0.085 * i - 0.165; more than 0.22 under it
    // the curtain adds under a third of a level, so the loop stops at the first curtain
    // that high (on software GL a loop whose lanes are all done exits early).
    int reach = int(floor((p.y + 0.385) / 0.085)) + 1;
    int n = min(layers, reach);
    for (int i = 0; i < n; i++) {
        float fi = float(i);
        float sp = 0.035 + 0.012 * fi;
        // lower edge of the curtain: gentle large folds
        float x = p.x * (0.9 + 0.15 * fi) + fi * 3.7;
        float edge = 0.02 + 0.085 * fi
                   + 0.10 * fsin(x * 1.3 + t * sp * 4.0 + fi)
                   + 0.09 * (noise1(x * 2.1 - t * sp * 3.0) - 0.5)
                   + 0.04 * fsin(x * 3.7 - t * 0.11 + fi * 2.0);
        float h = p.y - edge;
        // sharp lower boundary, soft exponential tail upward
        float body = exp(h > 0.0 ? -h / (tail * (0.7 + 0.12 * fi)) : h * 45.0);
        // vertical rays drifting sideways
        float rays = vnoise(vec2(x * 16.0 + t * 0.075 * (fi + 1.0), fi * 11.0 + h * 1.5));
        rays = 0.45 + 0.75 * rays * rays;
        // bright band right at the edge
        float rim = exp(-abs(h) * 28.0) * 0.6;
        // each curtain breathes slowly in and out
        float breathe = 0.55 + 0.45 * fsin(t * 0.17 + fi * 1.9 + p.x * 0.8);
        float a = (body * rays + rim) * breathe * (0.34 - 0.03 * fi);
        // green at the lower edge, the tail turns teal/violet/pink higher up;
        // the upper curtains lean more towards magenta
        vec3 top = mix(vec3(0.15, 0.55, 1.0), vec3(0.85, 0.25, 1.0), fi * 0.25);
        vec3 c = mix(green, top, clamp(h * 4.5 + p.y * 0.9 + 0.1, 0.0, 1.0));
        acc += c * a;
    }
    return acc * (0.8 + 0.9 * lvl);
}

vec3 stars(vec2 p, float t) {
    vec2 g = p * 90.0;
    vec2 id = floor(g);
    vec2 f = fract(g) - 0.5;
    float r = hash12(id);
    // one cell in 12 has a star (r over 0.92); software GL runs both sides of an if(),
    // so the others are zeroed by the brightness rather than returned early
    vec2 off = vec2(hash12(id + 7.1), hash12(id + 3.3)) - 0.5;
    float d = length(f - off * 0.6);
    // slow, gentle twinkle (no strobing)
    float tw = 0.6 + 0.4 * fsin(t * (0.6 + r * 1.2) + r * 60.0);
    float s = smoothstep(0.10, 0.0, d) * max(r - 0.92, 0.0) * 12.5 * tw;
    return vec3(0.8, 0.85, 1.0) * s;
}

float ridge(float x) {
    // distant mountain silhouette height above the horizon
    float m = 0.055 * noise1(x * 2.2 + 4.0) + 0.03 * noise1(x * 6.0 + 1.3) + 0.012 * noise1(x * 17.0);
    // keep the middle of the screen lower (the character stands there)
    m *= 0.55 + 0.45 * smoothstep(0.15, 0.8, abs(x));
    return HORIZON + m;
}

vec3 sky(vec2 p, float t, float lvl, float bass, int layers) {
    float y = p.y - HORIZON;
    vec3 col = mix(vec3(0.030, 0.045, 0.110), vec3(0.008, 0.010, 0.035), smoothstep(0.0, 0.8, y));
    // faint violet airglow at the horizon, pumped a little by the bass
    col += vec3(0.10, 0.05, 0.18) * exp(-y * 7.0) * (0.7 + 0.6 * bass);
    col += stars(p, t) * smoothstep(0.02, 0.25, y);
    // The lowest curtain never reaches below y ~ -0.2. Skip it there by
    // zeroing the loop count (on software GL a loop whose lanes are all done
    // exits early, whereas an if() usually evaluates both sides).
    col += aurora(p, t, lvl, bass, p.y > -0.22 ? layers : 0);
    return col;
}

void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 p = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    float t = iTime;
    float lvl = clamp(syn_Level, 0.0, 1.0);
    float bass = clamp(syn_BassLevel, 0.0, 1.0);

    // Sky and lake share one sky evaluation: below the horizon we look up the
    // mirrored (and vertically stretched, so the aurora shows in the water)
    // sky coordinate with slow ripples.
    bool water = p.y < HORIZON;
    float d = max(HORIZON - p.y, 0.0);
    vec2 q = p;
    if (water) {
        q = vec2(p.x, HORIZON + d * 2.2);
        q.x += 0.006 * fsin(d * 140.0 - t * 1.2) * (0.3 + d * 3.0);
        q.y += 0.010 * fsin(p.x * 9.0 + d * 60.0 + t * 0.7) * d * 3.0;
    }
    vec3 col = sky(q, t, lvl, bass, water ? 3 : 5);

    // mountain ridge (and its reflection)
    float m = ridge(q.x);
    if (water) {
        col = mix(col, vec3(0.008, 0.010, 0.022), smoothstep(m + 0.004, m - 0.004, q.y));
        col = col * (0.45 - 0.25 * smoothstep(0.0, 0.2, d)) + vec3(0.004, 0.006, 0.016);
    } else {
        float edge = smoothstep(m + 0.002, m - 0.002, p.y);
        vec3 rock = vec3(0.012, 0.014, 0.030) + vec3(0.02, 0.06, 0.05) * smoothstep(m - 0.08, m, p.y);
        col = mix(col, rock, edge);
    }

    // soft filmic-ish tone map and a gentle vignette
    col = 1.0 - exp(-col * 1.6);
    vec2 v = fragCoord / iResolution.xy - 0.5;
    col *= 1.0 - 0.55 * dot(v, v);
    // pow(col, 0.95) on 0..1 as a polynomial (within 0.002)
    col += col * (1.0 - col) * (0.14537381 + col * (-0.22047628 + col * 0.137967));
    fragColor = vec4(col, 1.0);
}

// name: Neon Grid — retro synthwave horizon: striped sunset sun, neon-rimmed mountains and a scrolling perspective grid; reacts to: syn_Level, syn_BassLevel

// Everything is analytic (no noise loops), so it is very cheap.
// Bass pumps the sun's halo and the grid glow; overall loudness lifts the
// horizon haze and warms the sky.

const float HORIZON = -0.10;
const vec2 SUN_OFFSET = vec2(0.0, 0.12);   // sun centre relative to the horizon

float hash11(float x) {
    x = fract(x * 0.1031);
    x *= x + 33.33;
    x *= x + x;
    return fract(x);
}

float hash12(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * 0.1031);
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.x + p3.y) * p3.z);
}

float noise1(float x) {
    float i = floor(x);
    float f = fract(x);
    return mix(hash11(i), hash11(i + 1.0), f * f * (3.0 - 2.0 * f));
}

// jagged mountain profile (height above the horizon), low in the middle
float mountains(float x) {
    float h = 0.0;
    // piecewise-linear peaks look more "vector/retro" than smooth noise
    float a = abs(fract(x * 1.7 + 0.31) - 0.5);
    float b = abs(fract(x * 3.9 + 0.77) - 0.5);
    h += (0.5 - a) * 0.22 * (0.6 + 0.8 * noise1(x * 1.7 + 3.0));
    h += (0.5 - b) * 0.07;
    float side = smoothstep(0.18, 0.75, abs(x));
    return h * side;
}

vec3 skyColor(vec2 p, float lvl) {
    float y = p.y - HORIZON;
    vec3 top = vec3(0.035, 0.010, 0.090);
    vec3 mid = vec3(0.230, 0.030, 0.300);
    vec3 low = mix(vec3(0.950, 0.180, 0.450), vec3(1.000, 0.330, 0.300), lvl * 0.6);
    vec3 c = mix(mid, top, smoothstep(0.05, 0.60, y));
    c = mix(low, c, smoothstep(0.0, 0.22, y));
    return c;
}

vec3 sun(vec2 p, float t, float bass, float lvl, out float mask) {
    vec2 c = vec2(0.0, HORIZON) + SUN_OFFSET;
    float r = 0.27 + 0.012 * bass;            // breathes very slightly with the bass
    vec2 d = p - c;
    float dist = length(d);
    // vertical gradient: yellow at the top to hot pink at the bottom
    float g = clamp((d.y + r) / (2.0 * r), 0.0, 1.0);
    vec3 col = mix(vec3(1.00, 0.08, 0.45), vec3(1.00, 0.80, 0.12), smoothstep(0.15, 0.95, g)) * 2.0;
    // horizontal cut-out stripes in the lower half, thickening downward and
    // slowly sliding down (the classic retro sun)
    float s = (c.y + 0.25 * r - p.y) / (0.7 * r);   // 0 just above centre, ~1 at the horizon
    float stripes = fract(s * 5.0 - t * 0.2);
    float gap = 0.04 + 0.5 * clamp(s, 0.0, 1.2);
    float aa = 6.0 * fwidth(s);
    float cut = mix(1.0, smoothstep(gap - aa, gap + aa, stripes), smoothstep(-0.02, 0.02, s));
    float disc = smoothstep(r + 0.002, r - 0.002, dist);
    mask = disc * cut;
    // soft halo, pumped by the bass
    float halo = exp(-max(dist - r, 0.0) * (9.0 - 3.5 * bass)) * (0.35 + 0.45 * bass);
    return col * mask * (1.0 + 0.15 * lvl) + vec3(1.0, 0.25, 0.55) * halo * (1.0 - mask);
}

vec3 stars(vec2 p, float t) {
    vec2 g = p * 70.0;
    vec2 id = floor(g);
    vec2 f = fract(g) - 0.5;
    float r = hash12(id);
    vec2 off = vec2(hash12(id + 7.1), hash12(id + 3.3)) - 0.5;
    float d = length(f - off * 0.6);
    float tw = 0.65 + 0.35 * sin(t * (0.5 + r) + r * 50.0);
    return vec3(0.9, 0.8, 1.0) * smoothstep(0.09, 0.0, d) * step(0.93, r) * tw;
}

vec3 grid(vec2 p, float t, float bass) {
    float dy = HORIZON - p.y;                  // > 0 below the horizon
    float z = 0.35 / dy;                       // distance into the floor
    // floor coordinates, scrolling toward us; x offset by half a cell so the
    // centre of the screen (where the character stands) is between lines
    vec2 w = vec2(p.x * z + 0.5, z + t * 1.2);
    // anti-aliased lines
    vec2 gv = abs(fract(w) - 0.5);
    vec2 fw = fwidth(w);
    vec2 lines = 1.0 - smoothstep(vec2(0.0), fw * 1.5, 0.5 - gv);
    // wider soft glow around each line
    vec2 glow = exp(-(0.5 - gv) / max(fw * 6.0, vec2(0.02)));
    float l = max(lines.x, lines.y);
    float gl = max(glow.x, glow.y);
    // fade lines into the haze near the horizon
    float fade = exp(-z * 0.10);
    vec3 lineCol = mix(vec3(0.20, 0.85, 1.00), vec3(1.00, 0.30, 0.85), smoothstep(0.0, 0.22, dy));
    float pump = 0.75 + 0.55 * bass;
    vec3 floorCol = mix(vec3(0.05, 0.00, 0.09), vec3(0.20, 0.02, 0.18), exp(-dy * 8.0));
    return floorCol + lineCol * (l * 0.9 + gl * 0.35) * fade * pump;
}

void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 p = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    float t = iTime;
    float lvl = clamp(syn_Level, 0.0, 1.0);
    float bass = clamp(syn_BassLevel, 0.0, 1.0);

    // sky (always computed; cheap) -----------------------------------------
    vec3 col = skyColor(p, lvl);
    col += stars(p, t) * smoothstep(0.15, 0.45, p.y - HORIZON);
    float sunMask;
    vec3 sunCol = sun(p, t, bass, lvl, sunMask);
    col = mix(col, sunCol, sunMask) + sunCol * (1.0 - sunMask);

    // mountains with a neon rim -------------------------------------------
    float mh = HORIZON + mountains(p.x);
    float inside = smoothstep(mh + 0.002, mh - 0.002, p.y);
    vec3 rock = mix(vec3(0.05, 0.01, 0.10), vec3(0.12, 0.02, 0.20), smoothstep(HORIZON, mh, p.y));
    col = mix(col, rock, inside);
    float rim = exp(-abs(p.y - mh) * 220.0) * step(0.001, mh - HORIZON);
    col += vec3(0.25, 0.75, 1.00) * rim * (0.6 + 0.4 * lvl) * smoothstep(0.2, 0.4, abs(p.x));

    // floor ---------------------------------------------------------------
    float below = step(p.y, HORIZON);
    col = mix(col, grid(p, t, bass), below);

    // horizon haze line, lifted by loudness
    float hz = exp(-abs(p.y - HORIZON) * 40.0);
    col += vec3(1.0, 0.30, 0.60) * hz * (0.25 + 0.35 * lvl);

    // tone map and vignette
    col = 1.0 - exp(-col * 1.3);
    vec2 v = fragCoord / iResolution.xy - 0.5;
    col *= 1.0 - 0.6 * dot(v, v);
    fragColor = vec4(col, 1.0);
}

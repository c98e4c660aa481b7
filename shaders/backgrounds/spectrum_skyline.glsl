// name: Spectrum Skyline — a night city skyline with a hi-fi LED equalizer rising in front of it, mirrored in a wet street; reacts to: syn_Level, syn_BassLevel, ls_MouthOpen

// There is no spectrum texture yet, so the equalizer is "performed": each bar
// follows its own smooth noise, scaled by the loudness. The bars are mirrored
// around the singer: the outer bars are the bass bands (syn_BassLevel, slower),
// the inner ones the higher bands (syn_Level, quicker), and the bars in the
// middle stay low so the character stands in a calm gap. Peak caps are the
// highest recent value of the bar minus a gravity drop, so they hang and fall
// like a real meter. A soft amber glow over the rooftops breathes with the
// singing. Everything below the street line is the same picture mirrored with
// ripples.

const float FLOOR = -0.30;      // street line (bars stand on it)
const float BAR = 0.056;        // bar pitch
const float SEG = 0.022;        // LED segment pitch
const int PEAK_TAPS = 3;        // history taps for the peak caps

float hash11(float x) {
    x = fract(x * 0.1031);
    x *= x + 33.33;
    x *= x + x;
    return fract(x);
}

float noise1(float x) {
    float i = floor(x);
    float f = fract(x);
    return mix(hash11(i), hash11(i + 1.0), f * f * (3.0 - 2.0 * f));
}

// bar height above the street at time t (bars are symmetric around x = 0)
float barHeight(float k, float band, float t, float lvl, float bass, float calm) {
    // higher bands move quicker; two octaves of noise per bar
    float rate = mix(3.2, 1.6, band);
    float n = 0.70 * noise1(t * rate + k * 7.13) + 0.15 + 0.15 * sin(t * rate * 2.3 + k * 3.71);
    // bands follow loudness (inner) or bass (outer); a soft spectral tilt
    float drive = mix(lvl, bass, smoothstep(0.45, 0.95, band));
    float e = drive * (0.30 + 0.70 * n) * (0.75 + 0.25 * band);
    return 0.018 + 0.012 * n + 0.50 * e * calm;
}

vec3 ledColor(float y) {
    // teal at the bottom, lime, amber, hot pink at the top of the scale
    vec3 c = mix(vec3(0.05, 0.85, 0.80), vec3(0.55, 1.00, 0.25), smoothstep(0.05, 0.22, y));
    c = mix(c, vec3(1.00, 0.62, 0.10), smoothstep(0.22, 0.38, y));
    c = mix(c, vec3(1.00, 0.18, 0.45), smoothstep(0.38, 0.52, y));
    return c;
}

vec3 scene(vec2 p, float t, float lvl, float bass, float mouth, float px) {
    float y = p.y - FLOOR;                       // height above the street

    // --- sky -------------------------------------------------------------------
    vec3 col = mix(vec3(0.26, 0.09, 0.20), vec3(0.08, 0.06, 0.22), smoothstep(0.0, 0.32, y));
    col = mix(col, vec3(0.015, 0.020, 0.075), smoothstep(0.28, 0.85, y));
    // city glow over the rooftops: loudness and the singing warm it up
    float glowAmt = 0.30 + 0.35 * lvl + 0.20 * mouth;
    col += vec3(0.60, 0.25, 0.10) * exp(-abs(y) * 6.0) * glowAmt;
    // sparse, gently twinkling stars high up
    vec2 sg = p * 80.0;
    vec2 sid = floor(sg);
    float sh = fract(sin(dot(sid, vec2(12.9898, 78.233))) * 43758.5453);
    vec2 sf = fract(sg) - 0.5 - (vec2(fract(sh * 13.7), fract(sh * 71.3)) - 0.5) * 0.6;
    float star = (1.0 - smoothstep(0.0, 0.09, length(sf))) * step(0.94, sh)
               * (0.6 + 0.4 * sin(t * (0.5 + sh) + sh * 60.0));
    col += vec3(0.75, 0.85, 1.0) * star * smoothstep(0.30, 0.60, y);

    // --- distant skyline -----------------------------------------------------------
    // buildings of varying width; lower towards the middle of the frame
    float bx = p.x * 11.0;
    float bid = floor(bx);
    float bh = hash11(bid * 1.37 + 5.0);
    float mid = 0.45 + 0.55 * smoothstep(0.10, 0.55, abs((bid + 0.5) / 11.0));
    float top = (0.07 + 0.26 * bh * bh) * mid;
    float inB = step(y, top) * step(0.0, y);
    vec3 bld = mix(vec3(0.008, 0.010, 0.030), vec3(0.030, 0.020, 0.050), exp(-y * 8.0));
    // windows: a grid on each building, a few lit warm, switching very slowly
    vec2 w = vec2(fract(bx) * 5.0, y * 42.0);
    vec2 wid = vec2(floor(w.x), floor(w.y));
    float wl = hash11(dot(wid, vec2(7.3, 157.1)) + bid * 31.7 + floor(t * 0.15 + bh * 8.0));
    vec2 wf = fract(w);
    float win = step(0.78, wl) * step(0.25, wf.x) * step(wf.x, 0.75) * step(0.3, wf.y) * step(wf.y, 0.7)
              * step(0.5, w.x) * step(w.x, 4.5) * step(y, top - 0.015);
    bld += mix(vec3(1.0, 0.68, 0.32), vec3(0.55, 0.80, 1.0), step(0.95, wl)) * win * 0.75;
    col = mix(col, bld, inB);

    // --- LED equalizer -----------------------------------------------------------
    float fi = floor(p.x / BAR);
    float k = abs(fi + 0.5);                     // 0.5, 1.5, ... away from the middle
    float band = clamp((k - 0.5) / 15.0, 0.0, 1.0);
    float calm = 0.25 + 0.75 * smoothstep(0.12, 0.50, k * BAR);
    float h = barHeight(k, band, t, lvl, bass, calm);

    // peak cap: the highest recent height minus a falling drop
    float peak = h;
    for (int i = 1; i <= PEAK_TAPS; i++) {
        float dt = float(i) * 0.15;
        peak = max(peak, barHeight(k, band, t - dt, lvl, bass, calm) - 1.6 * dt * dt);
    }

    // segment masks (anti-aliased rectangles inside the bar and segment cells)
    float aaX = 1.0 / (px * BAR);
    float fx = fract(p.x / BAR);
    float colMask = clamp((0.34 - abs(fx - 0.5)) / aaX, 0.0, 1.0);
    float aaY = 1.0 / (px * SEG);
    float fy = fract(y / SEG);
    float segMask = clamp((0.36 - abs(fy - 0.36)) / aaY, 0.0, 1.0);
    float segTop = (floor(y / SEG) + 1.0) * SEG;
    // lit segments; the topmost one fades in with the fraction so levels glide
    float lit = clamp((h - segTop) / SEG + 1.0, 0.0, 1.0) * step(0.0, y);
    vec3 led = ledColor(y);
    float bars = colMask * segMask;
    col += led * bars * lit * 1.25;
    // soft light around lit bars and a bloom just above the top
    col += led * colMask * step(0.0, y) * step(y, h) * 0.12;
    vec3 topCol = ledColor(peak);
    col += topCol * exp(-max(y - h, 0.0) * 70.0) * step(h, y) * colMask * 0.25 * smoothstep(0.03, 0.10, h);

    // peak cap: a thin white-hot segment
    float capY = floor(peak / SEG) * SEG;
    float cap = step(capY, y) * step(y, capY + SEG * 0.72) * colMask * step(h + SEG * 0.5, capY);
    col += mix(topCol, vec3(1.0), 0.55) * cap * 0.9;

    return col;
}

void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 p = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    float t = iTime;
    float lvl = clamp(syn_Level, 0.0, 1.0);
    float bass = clamp(syn_BassLevel, 0.0, 1.0);
    float mouth = clamp(ls_MouthOpen, 0.0, 1.0);

    // below the street line, look up the mirrored picture with ripples
    float d = max(FLOOR - p.y, 0.0);
    float wet = step(p.y, FLOOR);
    vec2 q = p;
    q.y = mix(p.y, FLOOR + d * 1.25, wet);
    q.x += wet * 0.0025 * sin(d * 120.0 - t * 1.2) * (0.3 + 3.0 * d);
    vec3 col = scene(q, t, lvl, bass, mouth, iResolution.y);

    // the street: a dark glossy reflection that fades with distance
    vec3 street = col * (0.38 - 0.20 * smoothstep(0.0, 0.18, d)) + vec3(0.010, 0.015, 0.030);
    col = mix(col, street, wet);
    // a faint bright edge along the street line
    col += vec3(0.35, 0.25, 0.30) * exp(-abs(p.y - FLOOR) * 250.0) * (0.25 + 0.35 * lvl);

    // tone map and vignette
    col = 1.0 - exp(-col * 1.4);
    vec2 v = fragCoord / iResolution.xy - 0.5;
    col *= 1.0 - 0.5 * dot(v, v);
    fragColor = vec4(col, 1.0);
}

// name: Sunburst — golden-hour god rays slowly turning behind the singer, with drifting bokeh lights in amber, rose and teal; reacts to: syn_Level, syn_BassLevel, ls_MouthOpen

// Two sets of soft rays turning in opposite directions fan out from a warm
// halo behind the head; the sky behind them runs from gold in the middle to
// plum at the corners. Three layers of out-of-focus bokeh discs drift slowly
// upward. Loudness lengthens and brightens the rays; bass makes the bokeh
// swell and glow; the halo breathes gently with the singing.
// Everything is analytic (sums of cosines with whole-number angular
// frequencies, so nothing has a seam), one grid cell per bokeh layer.

const float TAU = 6.28318531;

float hash12(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * 0.1031);
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.x + p3.y) * p3.z);
}

vec3 bokehLayer(vec2 p, float t, float scale, float rise, float seed, float swell, float px) {
    // the layer scrolls upward; each cell holds at most one disc
    vec2 q = p * scale + vec2(seed * 7.3, -t * rise);
    vec2 id = floor(q);
    vec2 f = fract(q) - 0.5;
    float h = hash12(id + seed * 13.1);
    float h2 = fract(h * 43.71 + 0.13);
    float h3 = fract(h * 197.3 + 0.57);

    float rad = (0.16 + 0.16 * h2) * (1.0 + 0.12 * swell);
    // jitter inside the cell plus a slow sideways sway, never past the edge
    vec2 c = (vec2(h2, h3) - 0.5) * (0.96 - 2.0 * rad);
    c.x += 0.5 * (0.48 - rad - abs(c.x)) * sin(t * (0.25 + 0.3 * h) + h * TAU);
    float d = length(f - c);

    // soft-edged disc, slightly brighter at the rim (like a real lens)
    float aa = scale / px * 1.5;
    float disc = clamp((rad - d) / (aa + 0.02), 0.0, 1.0);
    float rim = clamp((d - rad + 0.06) * 20.0, 0.0, 1.0) * disc;
    float a = disc * (0.55 + 0.45 * rim);

    // about a third of the cells are occupied; brightness varies slowly
    a *= step(0.66, h) * (0.55 + 0.45 * sin(t * (0.3 + 0.4 * h3) + h * 40.0));

    vec3 amber = vec3(1.00, 0.62, 0.22);
    vec3 rose = vec3(1.00, 0.38, 0.48);
    vec3 teal = vec3(0.25, 0.85, 0.85);
    vec3 col = mix(amber, rose, smoothstep(0.3, 0.7, h3));
    col = mix(col, teal, step(0.88, h2));
    return col * a;
}

void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 p = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    float t = iTime;
    float lvl = clamp(syn_Level, 0.0, 1.0);
    float bass = clamp(syn_BassLevel, 0.0, 1.0);
    float mouth = clamp(ls_MouthOpen, 0.0, 1.0);
    float px = iResolution.y;

    // the burst's centre sits a little above the middle, behind the head
    vec2 c = p - vec2(0.0, 0.06);
    float r = length(c);
    float ang = atan(c.y, c.x);

    // --- sky: gold in the middle, coral, then plum towards the corners ----------
    vec3 gold = vec3(1.00, 0.56, 0.16);
    vec3 coral = vec3(0.92, 0.24, 0.22);
    vec3 plum = vec3(0.28, 0.04, 0.26);
    vec3 deep = vec3(0.07, 0.02, 0.10);
    vec3 sky = mix(gold, coral, smoothstep(0.05, 0.45, r));
    sky = mix(sky, plum, smoothstep(0.30, 0.85, r));
    sky = mix(sky, deep, smoothstep(0.75, 1.20, r));
    vec3 col = sky * (0.55 + 0.15 * lvl);

    // --- rays ------------------------------------------------------------------
    // set A: 14 broad rays turning slowly clockwise, widths wobbling
    float ra = ang * 14.0 - t * 0.10 + 0.9 * sin(ang * 3.0 + t * 0.13);
    float raysA = 0.5 + 0.5 * cos(ra);
    raysA *= raysA * raysA;
    // set B: 9 narrower rays turning the other way
    float rb = ang * 9.0 + t * 0.07 + 0.6 * sin(ang * 2.0 - t * 0.09);
    float raysB = 0.5 + 0.5 * cos(rb);
    raysB *= raysB * raysB;
    raysB *= raysB;
    // each ray brightens and dims on its own slow cycle
    float flicker = 0.65 + 0.35 * cos(ang * 5.0 + t * 0.21) * cos(ang * 2.0 - t * 0.17);
    float rays = (0.65 * raysA + 0.55 * raysB) * flicker;
    // rays start behind the head and fade out; loudness makes them reach further
    float reach = 0.55 + 0.45 * lvl;
    float radial = smoothstep(0.08, 0.30, r) * exp(-r / reach * 1.6);
    vec3 rayCol = mix(vec3(1.00, 0.80, 0.50), vec3(1.00, 0.55, 0.45), smoothstep(0.2, 0.9, r));
    col += rayCol * rays * radial * (0.35 + 0.55 * lvl);

    // --- warm halo behind the head, breathing with the voice --------------------------
    float halo = exp(-r * r * (7.0 - 1.5 * mouth));
    col += vec3(1.00, 0.78, 0.45) * halo * (0.30 + 0.18 * mouth + 0.10 * lvl);

    // --- bokeh ---------------------------------------------------------------
    vec3 bokeh = vec3(0.0);
    bokeh += bokehLayer(p, t, 4.0, 0.10, 1.0, bass, px) * 0.55;   // big, near, slow
    bokeh += bokehLayer(p, t, 7.0, 0.16, 2.0, bass, px) * 0.45;
    bokeh += bokehLayer(p, t, 12.0, 0.22, 3.0, bass, px) * 0.40;  // small, far
    // fewer and fainter in the middle so the singer reads clearly
    float calm = smoothstep(0.18, 0.55, length(p * vec2(0.8, 1.0)));
    col += bokeh * (0.25 + 0.75 * calm) * (0.45 + 0.35 * lvl + 0.55 * bass);

    // tone map, a touch of warmth in the shadows, vignette
    col = 1.0 - exp(-col * 1.35);
    col = mix(col, col * vec3(1.02, 0.97, 0.95), 0.5);
    vec2 v = fragCoord / iResolution.xy - 0.5;
    col *= 1.0 - 0.55 * dot(v, v);
    fragColor = vec4(col, 1.0);
}

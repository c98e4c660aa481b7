// name: Hyperspace — a starfield warp: stars stream out from behind the singer through a blue/violet nebula tunnel, with longer warp streaks on the bass; reacts to: syn_Level, syn_BassLevel, ls_MouthOpen

// Stars live in polar cells (angle sector x layer). Each star flies towards the
// viewer at a constant speed, so its screen radius is R / depth; a streak is
// drawn from where it was a moment ago to where it is now. Bass lengthens that
// moment (a "speed burst" look) without ever changing the flight speed, so the
// motion never jumps. The stars are born outside a calm centre disc; loudness
// brightens the stars and the nebula, and the singing breathes a soft glow
// behind the head.

const float TAU = 6.28318531;

float hash11(float x) {
    x = fract(x * 0.1031);
    x *= x + 33.33;
    x *= x + x;
    return fract(x);
}

// one layer of streaking stars; a = angle in turns (0..1), r = radius
vec3 starLayer(float a, float r, float t, float cells, float seed, float speed,
               float streak, float px) {
    float cid = floor(a * cells);
    float fa = fract(a * cells);                       // position inside the sector
    float h = hash11(cid * 0.6180 + seed * 71.37);   // this sector's flight offset
    // one star per sector at a time; every new flight gets a fresh angle,
    // distance and colour, so the pattern never visibly repeats
    float flight = floor(h + t * speed);
    float hf = hash11(h * 531.7 + flight * 7.31);
    float h2 = fract(hf * 37.13 + 0.31);
    float h3 = fract(hf * 413.7 + 0.73);

    // angular place of the star inside its sector (kept off the sector edges)
    float off = 0.25 + 0.5 * h2;
    // screen-space distance (pixels) across the streak
    float across = abs(fa - off) / cells * TAU * r * px;

    // depth goes 1 -> 0 over one flight
    float phase = fract(h + t * speed);
    float d = mix(1.0, 0.04, phase);
    float R = 0.15 + 0.22 * h3 * h3;                        // screen radius at depth 1
    float rHead = R / d;
    float rTail = R / min(d + streak * speed * 0.96, 1.0);

    // along the streak: 0 at the tail, 1 at the head; the head is
    // anti-aliased over about a pixel, the tail fades in
    float along = (r - rTail) / max(rHead - rTail, 1e-4);
    float headAA = clamp((rHead - r) * px + 0.5, 0.0, 1.0);
    float bright = clamp(along * 6.0, 0.0, 1.0) * headAA * (0.25 + 0.75 * along * along);

    // streak gets wider as it gets closer; at least ~1 px, anti-aliased
    float w = 0.5 + 2.0 * (1.0 - d);
    float core = clamp(w + 0.5 - across, 0.0, 1.0);

    // only some sectors hold a star; stars fade in at birth
    float on = step(0.4, fract(hf * 91.7 + 0.17));
    float fade = min(phase * 4.0, 1.0) * (0.35 + 0.65 * (1.0 - d));

    vec3 tint = mix(vec3(0.55, 0.75, 1.00), vec3(0.85, 0.65, 1.00), h2);
    tint = mix(tint, vec3(0.55, 1.00, 0.95), step(0.8, fract(hf * 7.7)));
    return tint * core * bright * on * fade;
}

void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 p = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    float t = iTime;
    float lvl = clamp(syn_Level, 0.0, 1.0);
    float bass = clamp(syn_BassLevel, 0.0, 1.0);
    float mouth = clamp(ls_MouthOpen, 0.0, 1.0);
    float px = iResolution.y;

    float r = max(length(p), 1e-4);
    float a = atan(p.y, p.x) / TAU + 0.5;             // 0..1 turns

    // tunnel coordinate: distance travelled along the tunnel for this pixel
    float z = 0.22 / r + t * 0.55;

    // --- nebula tunnel walls ----------------------------------------------
    // integer angular frequencies keep everything seamless around the circle
    float ang = a * TAU;
    float n1 = sin(ang * 3.0 + z * 0.9 + 1.7 * sin(z * 0.37 + ang * 2.0));
    float n2 = sin(ang * 5.0 - z * 1.3 + t * 0.05 + 2.0 * sin(ang * 1.0 - z * 0.21));
    float n3 = sin(ang * 2.0 + z * 0.5 - t * 0.11);
    float neb = 0.5 + 0.25 * n1 + 0.15 * n2 + 0.10 * n3;
    neb = smoothstep(0.15, 1.0, neb);
    vec3 violet = vec3(0.30, 0.10, 0.55);
    vec3 teal = vec3(0.05, 0.35, 0.55);
    vec3 nebCol = mix(violet, teal, 0.5 + 0.5 * n2);
    nebCol = mix(nebCol, vec3(0.65, 0.20, 0.55), 0.35 * smoothstep(0.3, 1.0, n3));
    // the walls are dark in the far centre, strongest at mid radius
    float wall = smoothstep(0.12, 0.55, r) * (1.0 - 0.35 * smoothstep(0.7, 1.1, r));

    // faint rings rushing past (depth markers); bass lights them up
    float ring = 0.5 + 0.5 * sin(z * 2.2);
    ring *= ring;
    ring *= ring * ring * ring * ring;        // ^10, sharp thin rings
    ring *= smoothstep(0.2, 0.6, r);

    vec3 col = vec3(0.006, 0.008, 0.030) + vec3(0.02, 0.01, 0.05) * (1.0 - smoothstep(0.2, 0.9, r));
    col += nebCol * neb * wall * (0.40 + 0.45 * lvl);
    col += vec3(0.35, 0.55, 1.00) * ring * wall * (0.05 + 0.22 * bass);

    // --- streaking stars ----------------------------------------------------
    // the streak "shutter" is longer on the bass: warp-speed bursts
    float streak = 0.12 + 0.45 * bass * bass + 0.08 * lvl;
    vec3 stars = vec3(0.0);
    stars += starLayer(a, r, t, 110.0, 1.0, 0.16, streak, px);
    stars += starLayer(a, r, t, 170.0, 2.0, 0.22, streak, px) * 0.85;
    stars += starLayer(a, r, t, 250.0, 3.0, 0.12, streak, px) * 0.65;
    // keep the middle quiet: stars only really show outside the head area
    stars *= smoothstep(0.16, 0.40, r) * (0.75 + 0.65 * lvl + 0.4 * bass);
    col += stars * 1.6;

    // --- soft glow behind the singer, breathing with the voice ---------------
    float glow = exp(-r * r * 9.0);
    col += mix(vec3(0.20, 0.35, 0.80), vec3(0.55, 0.45, 0.95), mouth) * glow * (0.18 + 0.16 * mouth + 0.10 * lvl);

    // tone map and vignette
    col = 1.0 - exp(-col * 1.5);
    vec2 v = fragCoord / iResolution.xy - 0.5;
    col *= 1.0 - 0.5 * dot(v, v);
    fragColor = vec4(col, 1.0);
}

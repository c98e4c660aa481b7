/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Digital glitch driven by the bass: RGB split, horizontal bands of the picture slipping sideways, and scanlines. Its energy is amount x the bass level (syn_BassLevel) above a small gate, so the frame is untouched when the music is quiet; the bands change at a steady 12 per second and the brightness never flashes.",
    "CREDIT": "livesync",
    "CATEGORIES": ["Filter", "Glitch", "Audio Reactive"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "TYPE": "float", "LABEL": "Amount", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 0.6, "DESCRIPTION": "Overall strength (0: off)"},
        {"NAME": "bassDrive", "TYPE": "float", "LABEL": "Bass drive", "MIN": 0.0, "MAX": 2.0,
         "DEFAULT": 1.0,
         "DESCRIPTION": "How strongly the bass level drives the glitch (0: only the floor)"},
        {"NAME": "glitchFloor", "TYPE": "float", "LABEL": "Glitch floor", "MIN": 0.0,
         "MAX": 1.0, "DEFAULT": 0.0,
         "DESCRIPTION": "Glitch energy even in silence, for a constant broken-signal look"},
        {"NAME": "scanlines", "TYPE": "float", "LABEL": "Scanlines", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 0.35, "DESCRIPTION": "Depth of the scanlines at full energy"}
    ]
}*/

// Hashes without sin() (cheap in software GL, stable for large arguments).
float hash11(float p) {
    p = fract(p * 0.1031);
    p *= p + 33.33;
    p *= p + p;
    return fract(p);
}

float hash21(vec2 p) {
    vec3 q = fract(vec3(p.xyx) * 0.1031);
    q += dot(q, q.yzx + 33.33);
    return fract((q.x + q.y) * q.z);
}

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 inSize = IMG_SIZE(inputImage);
    // Energy 0..1: the bass above a gate (room noise and quiet passages stay still).
    float drive = smoothstep(0.15, 0.85, syn_BassLevel * bassDrive);
    float energy = clamp(amount * max(drive, glitchFloor), 0.0, 1.0);
    // The pattern changes 12 times a second, whatever the frame rate.
    float tick = mod(floor(TIME * 12.0), 4096.0);

    // Bands of random height: coarse rows split into finer rows.
    float coarse = floor(uv.y * 9.0);
    float fine = floor(uv.y * (9.0 + 23.0 * hash11(coarse + tick * 7.0)));
    float band = hash11(fine * 3.1 + tick * 13.0 + coarse * 0.37);
    // More bands slip as the energy rises; each slips left or right by its own amount.
    float slips = step(1.0 - 0.55 * energy, band) * step(0.001, energy);
    float shift = (hash11(fine * 1.7 + tick * 3.7) - 0.5) * 0.12 * energy * slips;
    // A thin tear line now and then, displaced further.
    float tear = step(0.985 - 0.03 * energy, hash11(floor(uv.y * 90.0) + tick * 5.3));
    shift += tear * (hash11(tick + 1.7) - 0.5) * 0.2 * energy;

    // RGB split: horizontal, wider on slipping bands. Whole pixels: a glitch is blocky.
    float split = (0.004 + 0.012 * slips) * energy;
    ivec2 maxTexel = ivec2(inSize) - 1;
    ivec2 at = ivec2(vec2(uv.x + shift, uv.y) * inSize);
    int dx = int(split * inSize.x + 0.5);
    vec4 centre = texelFetch(inputImage, clamp(at, ivec2(0), maxTexel), 0);
    float r = texelFetch(inputImage, clamp(at + ivec2(dx, 0), ivec2(0), maxTexel), 0).r;
    float b = texelFetch(inputImage, clamp(at - ivec2(dx, 0), ivec2(0), maxTexel), 0).b;
    vec3 color = vec3(r, centre.g, b);

    // Scanlines every 3 output pixels, and faint static in the slipping bands.
    float line = step(2.0, mod(gl_FragCoord.y, 3.0));
    color *= 1.0 - scanlines * energy * 0.5 * line;
    float grain = hash21(floor(gl_FragCoord.xy * 0.5) + tick) - 0.5;
    color += grain * 0.12 * energy * slips;

    gl_FragColor = vec4(clamp(color, 0.0, 1.0), centre.a);
}

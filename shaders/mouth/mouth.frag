#version 330 core
// Cartoon mouth for livesync, drawn with (approximate) signed distances.
//
// The quad is square, v_local in [-1,1]^2, y up, centred on the mouth.
// Output is straight (not premultiplied) alpha: alpha = 0 outside the lips,
// edges anti-aliased with fwidth.
//
// Construction: every contour is a curve y = f(x) around the lip line yC(x)
// (a parabola whose corners lift for a smile and drop as the jaw opens):
//   upper/lower inner lip edge  yC +/- gTop/gBot * (1-(x/gWi)^2)^gEi
//   upper/lower outer lip edge  the inner lift/drop plus the lip thickness
//                               profile (cupid's bow on the upper lip)
//   upper teeth bottom edge     a band hanging from the upper inner lip
//   lower teeth top edge        a small band on the lower inner lip
// cdist() turns each curve into a signed distance by projecting onto the
// curve; shapes are intersections (max) of those. Tongue = ellipse body
// smooth-unioned with a round cone whose tip rises to the upper teeth.
// Layers back to front: lips (shading + highlights), dark opening and lip
// line, tongue, lower teeth, upper teeth (may overlap the tucked lower lip for
// F/V), outer outline. All quantities are continuous in every uniform.
in vec2 v_local;
out vec4 fragColor;

uniform float u_open;
uniform float u_width;
uniform float u_round;
uniform float u_teeth;
uniform float u_tongue;
uniform float u_bite;
uniform float u_press;
uniform vec3 u_lip_color;
uniform vec3 u_inner_color;
uniform vec3 u_teeth_color;
uniform vec3 u_tongue_color;
uniform vec3 u_outline_color;
uniform float u_opacity = 1.0;   // fades the mouth with its scene

// ---- shape state, derived from the uniforms once per fragment ----
float gW;     // outer half width (lip corners)
float gWi;    // half width of the opening
float gSmile; // corner lift of the lip line
float gTop;   // opening above the lip line (upper lip lift)
float gBot;   // opening below the lip line (jaw drop)
float gTu;    // upper lip thickness at the centre
float gTl;    // lower lip thickness at the centre
float gEo;    // outer lip profile exponent (0.5 = round ends, ~0.9 = pointed corners)
float gEi;    // opening profile exponent (<0.5 = boxier, 0.5 = elliptic)
float gBow;   // cupid's bow depth
float gTeeth; // visible upper teeth height
float gWT;    // upper teeth half width
float gLowT;  // visible lower teeth height
float gWL;    // lower teeth half width
float gBiteX; // how far the upper teeth overlap the lower lip

// Curves y = f(x) of the mouth; each returns vec2(f(x), f'(x)); the slope
// drives the projection in cdist().
// prof: (1 - (x/w)^2)^e, a half-(super)ellipse profile, zero outside |x| < w.
vec2 prof(float x, float w, float e) {
    float u = x / w;
    float t = 1.0 - u * u;
    if (t <= 0.0) return vec2(0.0);
    t = max(t, 1e-5);
    return vec2(pow(t, e), -2.0 * u * e * pow(t, e - 1.0) / w);
}
// lip line: corners lifted by gSmile (negative = corners dropped)
vec2 yC(float x) {
    float u = x / gW;
    if (abs(u) >= 1.0) return vec2(gSmile, 0.0);
    return vec2(gSmile * u * u, 2.0 * gSmile * u / gW);
}
vec2 yUI(float x) { return yC(x) + gTop * prof(x, gWi, gEi); }   // upper inner lip edge
vec2 yLI(float x) { return yC(x) - gBot * prof(x, gWi, gEi); }   // lower inner lip edge
vec2 yLB(float x) { return yLI(x) - gBiteX * prof(x, gWi, 0.5); } // lower lip edge hidden under the teeth
vec2 yUO(float x) {                                               // upper outer lip edge (cupid's bow)
    float u = x / gW;
    float g = exp(-u * u / 0.014);
    vec2 b = vec2(1.0 - gBow * g, gBow * g * 2.0 * u / (0.014 * gW));
    vec2 pr = prof(x, gW, gEo);
    return yC(x) + gTop * prof(x, gW, gEi) + gTu * vec2(pr.x * b.x, pr.y * b.x + pr.x * b.y);
}
vec2 yLO(float x) {                                               // lower outer lip edge (fuller)
    float a = abs(x / gW);
    vec2 lp = vec2(0.0);
    float t = 1.0 - pow(a, 2.4);
    if (t > 0.0) {
        t = max(t, 1e-5);
        lp = vec2(pow(t, gEo), -gEo * pow(t, gEo - 1.0) * 2.4 * pow(a, 1.4) * sign(x) / gW);
    }
    return yC(x) - gBot * prof(x, gW, gEi) - gTl * lp;
}
vec2 yTB(float x) { return yUI(x) - gTeeth * prof(x, gWT, 0.3); } // upper teeth bottom edge
vec2 yLT(float x) { return yLI(x) + gLowT * prof(x, gWL, 0.3); }  // lower teeth top edge

const int C_LINE = 0, C_UI = 1, C_LI = 2, C_LB = 3, C_UO = 4, C_LO = 5, C_TB = 6, C_LT = 7;
vec2 curve(int id, float x) {
    switch (id) {
        case C_LINE: return yC(x);
        case C_UI:   return yUI(x);
        case C_LI:   return yLI(x);
        case C_LB:   return yLB(x);
        case C_UO:   return yUO(x);
        case C_LO:   return yLO(x);
        case C_TB:   return yTB(x);
        default:     return yLT(x);
    }
}
// Signed distance to the curve y = f(x) (positive above it). A few
// projections onto the tangent line find a nearby curve point; every point
// visited is on the curve, so the minimum is an upper bound of the true
// distance and close to it (no spikes where the curve turns vertical).
float cdist(vec2 p, int id) {
    vec2 c = curve(id, p.x);
    float sgn = p.y >= c.x ? 1.0 : -1.0;
    float d = abs(p.y - c.x);
    float x = p.x;
    for (int i = 0; i < 3; i++) {
        float fp = clamp(c.y, -1e3, 1e3);
        float dx = ((p.x - x) + fp * (p.y - c.x)) / (1.0 + fp * fp);
        x += clamp(dx, -0.15, 0.15);
        c = curve(id, x);
        d = min(d, length(p - vec2(x, c.x)));
    }
    return sgn * d;
}
#define CURVE_D(F, P) cdist((P), C_##F)
float gPx;  // pixel size in local units
float fill(float d) {
    // anti-aliased coverage of d<0; fwidth of the (approximate) distance,
    // clamped so that derivative jumps of max()/min() can't smear an edge
    float w = clamp(fwidth(d), 0.5 * gPx, 2.0 * gPx);
    return clamp(0.5 - d / w, 0.0, 1.0);
}
float sdEllipse(vec2 p, vec2 r) {
    float k0 = length(p / r);
    float k1 = length(p / (r * r));
    return k0 * (k0 - 1.0) / max(k1, 1e-5);
}
float sdRoundCone(vec2 p, vec2 a, vec2 b, float r1, float r2) {
    // uneven capsule (iq)
    vec2 ba = b - a; float l2 = dot(ba, ba);
    if (l2 < 1e-8) return length(p - a) - max(r1, r2);
    vec2 pa = p - a;
    float rr = r1 - r2; float a2 = l2 - rr * rr;
    float y = dot(pa, ba); float z = y - l2;
    vec2 q = pa * l2 - ba * y; float x2 = dot(q, q);
    float y2 = y * y * l2; float z2 = z * z * l2;
    float k = sign(rr) * rr * rr * x2;
    if (sign(z) * a2 * z2 > k) return sqrt(x2 + z2) / l2 - r2;
    if (sign(y) * a2 * y2 < k) return sqrt(x2 + y2) / l2 - r1;
    return (sqrt(x2 * a2 / l2) + y * rr) / l2 - r1;
}
float smin(float a, float b, float k) {
    float h = clamp(0.5 + 0.5 * (b - a) / k, 0.0, 1.0);
    return mix(b, a, h) - k * h * (1.0 - h);
}

void main() {
    vec2 p = v_local;
    float px = max(fwidth(p.x), 1e-4);   // size of a pixel in local units
    gPx = px;

    float op  = clamp(u_open, 0.0, 1.0);
    float wd  = clamp(u_width, 0.0, 1.0);
    float rd  = clamp(u_round, 0.0, 1.0);
    float th  = clamp(u_teeth, 0.0, 1.0);
    float tg  = clamp(u_tongue, 0.0, 1.0);
    float bt  = clamp(u_bite, 0.0, 1.0);
    float pr  = clamp(u_press, 0.0, 1.0);
    float npr = 1.0 - pr;

    // ---- derive shape ----
    gW = mix(0.35, 0.75, wd);
    gW = mix(gW, 0.33 + 0.1 * op, rd);
    gW *= 1.0 - 0.08 * op - 0.04 * pr;
    gWi = gW * mix(0.93, 0.48, rd) * (1.0 - 0.15 * bt) * (1.0 - 0.05 * op);
    float H = 0.8 * op * (1.0 - 0.15 * rd);
    gSmile = (0.035 + 0.075 * wd) * (1.0 - 0.8 * rd) * npr - 0.24 * H * H * npr;

    float lift = (0.045 * th + 0.04 * bt) * (1.0 - 0.5 * rd);
    gTop = (mix(0.22, 0.38, rd) * H + lift) * npr;
    gBot = (mix(0.78, 0.62, rd) * H + 0.035 * th) * (1.0 - 0.75 * bt) * npr;

    float thick = mix(1.1, 0.85, wd) * (1.0 - 0.35 * pr);
    gTu = mix(0.13, 0.15, rd) * thick;
    gTl = mix(0.145, 0.17, rd) * thick;
    gEo = mix(0.85, 0.5, max(rd, 0.6 * op));
    gEi = mix(mix(0.5, 0.36, wd * (1.0 - 0.6 * op)), 0.5, rd);
    gBow = 0.2 * (1.0 - 0.8 * rd);

    gTeeth = (0.12 * th + 0.04 * bt) * npr;
    gWT = gWi * mix(0.85, 0.7, bt);
    gBiteX = 0.06 * bt * npr;
    gLowT = 0.045 * smoothstep(0.4, 1.0, op) * (1.0 - bt) * npr;
    gWL = gWi * 0.42;

    // ---- distances ----
    float dUO = CURVE_D(UO, p);
    float dLO = CURVE_D(LO, p);
    float dOuter = max(max(dUO, -dLO), abs(p.x) - gW);

    float dUI = CURVE_D(UI, p);
    float dLI = CURVE_D(LI, p);
    // opening = between the inner lip edges, limited to |x| < gWi (round-ish corner join)
    vec2 oq = vec2(max(dUI, -dLI), abs(p.x) - gWi);
    float dOpen = length(max(oq, 0.0)) + min(max(oq.x, oq.y), 0.0);
    float dLine = max(abs(CURVE_D(LINE, p)), abs(p.x) - gW);

    float ow = max(0.018, 0.9 * px);           // outer outline width
    float lw = max(0.011, 0.6 * px) * (1.0 + 0.4 * pr); // half width of the lip line / inner rim
    float u = p.x / gW;

    // ---- lips ----
    float lyc = yC(p.x).x;
    float ub = mix(px, 0.05, rd);  // softer upper/lower split on a rounded mouth
    float upper = smoothstep(-ub, ub, p.y - lyc);
    vec3 lip = u_lip_color;
    vec3 col = mix(lip * 1.02, lip * 0.86, upper);
    // darken towards the outer edge (roundness)
    col = mix(col, u_outline_color, 0.35 * (1.0 - smoothstep(0.0, 0.07, -dOuter)));
    // corners
    col = mix(col, u_outline_color, 0.35 * smoothstep(0.7, 1.0, abs(u)));
    // highlights
    float lcy = 0.5 * (yLI(-0.15 * gW).x + yLO(-0.15 * gW).x);
    vec2 hq = (p - vec2(-0.15 * gW, lcy + 0.12 * gTl)) / vec2(0.3 * gW, 0.22 * gTl);
    float hl = exp(-2.5 * dot(hq, hq));
    col = mix(col, vec3(1.0), 0.28 * hl);
    float ucy = 0.5 * (yUI(-0.3 * gW).x + yUO(-0.3 * gW).x);
    vec2 hu = (p - vec2(-0.3 * gW, ucy + 0.1 * gTu)) / vec2(0.14 * gW, 0.16 * gTu);
    col = mix(col, vec3(1.0), 0.16 * exp(-2.5 * dot(hu, hu)));
    // shadow of the upper teeth on the tucked lower lip
    float tbY = yTB(p.x).x;
    float sh = (1.0 - smoothstep(0.0, 0.045, tbY - p.y)) * step(p.y, tbY + 0.02)
             * (1.0 - smoothstep(0.6, 1.05, abs(p.x) / gWT));
    col = mix(col, u_outline_color, 0.5 * bt * npr * sh);

    // ---- dark inside + lip line ----
    float openM = fill(dOpen);
    float rim = fill(dOpen - lw * mix(1.0, 1.0 - 0.8 * smoothstep(0.8, 1.0, abs(p.x) / gWi), rd));
    float lineFade = mix(1.0, 1.0 - smoothstep(gWi * 0.75, gWi * 0.95, abs(p.x)), smoothstep(0.0, 0.6, rd));
    float lineM = fill(dLine - lw * (1.0 - 0.4 * smoothstep(0.6, 1.0, abs(u)))) * lineFade;
    float darkM = max(rim, lineM);
    float yTop = yUI(0.0).x, yBot = yLI(0.0).x;
    float gy = clamp((p.y - yBot) / max(yTop - yBot, 1e-3), 0.0, 1.0);
    vec3 inner = u_inner_color * mix(1.25, 0.7, gy);
    inner *= 1.0 - 0.35 * smoothstep(0.5, 1.0, abs(p.x) / gWi);
    col = mix(col, mix(u_outline_color * 0.8, inner, openM), darkM);

    // ---- tongue ----
    float bodyH = 0.05 + 0.16 * op;
    vec2 bodyC = vec2(0.0, yBot - 0.035);
    vec2 bodyR = vec2(0.68 * gWi, bodyH + 0.035);
    float rt = mix(0.08, 0.14, op) * mix(1.0, 0.75, rd);
    vec2 tipRest = bodyC + vec2(0.0, bodyR.y - rt);
    vec2 tipUp = vec2(0.0, yTB(0.0).x + 0.015 - rt);
    vec2 tipC = mix(tipRest, tipUp, tg);
    float dBody = sdEllipse(p - bodyC, bodyR);
    float dTip = sdRoundCone(p, bodyC, tipC, mix(min(rt, bodyR.y), max(rt * 1.3, bodyR.x * 0.6), tg), rt);
    float dTongue = smin(dBody, dTip, 0.04);
    float tongueM = fill(dTongue) * openM;
    vec3 tcol = u_tongue_color;
    tcol *= mix(0.8, 1.0, smoothstep(0.0, 0.06, -dTongue));          // rim shading
    // centre groove, fading out towards the tip
    float along = clamp((tipC.y + 0.3 * rt - p.y) / max(tipC.y + 0.3 * rt - bodyC.y, 0.03), 0.0, 1.0);
    tcol *= 1.0 - 0.25 * smoothstep(0.25, 0.7, op + tg) * exp(-pow(p.x / max(0.012, px), 2.0))
                * smoothstep(0.0, 0.05, -dTongue) * smoothstep(0.0, 1.0, along);
    vec2 tq = (p - (tipC + vec2(-0.3 * rt, 0.35 * rt))) / vec2(rt * 0.6, rt * 0.35);
    tcol = mix(tcol, vec3(1.0), 0.22 * exp(-2.0 * dot(tq, tq)) * tg);
    col = mix(col, tcol, tongueM);

    // ---- lower teeth ----
    float dLT = max(CURVE_D(LT, p), abs(p.x) - gWL);
    float lowM = fill(dLT) * openM;
    vec3 ltc = u_teeth_color * mix(0.95, 0.7, smoothstep(0.4, 1.0, abs(p.x) / gWL));
    col = mix(col, ltc, lowM * smoothstep(0.0, 2.0 * px, gLowT));

    // ---- upper teeth ----
    float dTB = -CURVE_D(TB, p);
    float dTeeth = max(dTB, abs(p.x) - gWT);
    float dClip = max(max(dUI, -CURVE_D(LB, p)), abs(p.x) - gWi);
    float teethM = fill(dTeeth) * fill(dClip) * smoothstep(0.0, 2.0 * px, gTeeth);
    vec3 tc = u_teeth_color;
    float ut = abs(p.x) / gWT;
    tc *= mix(1.0, 0.72, smoothstep(0.45, 1.0, ut));                   // sides recede
    tc *= mix(0.85, 1.0, smoothstep(0.0, 0.03, yUI(p.x).x - p.y));        // shade under the lip
    // faint gaps between teeth
    float gapw = max(0.006, 0.5 * px);
    float gaps = 0.0;
    for (int i = 0; i < 5; i++) {
        float xi = gWT * (0.0 + float(i) * 0.19 - float(i) * float(i) * 0.012);
        gaps = max(gaps, 1.0 - smoothstep(0.0, gapw, abs(abs(p.x) - xi)));
    }
    tc *= 1.0 - 0.22 * gaps * (1.0 - smoothstep(0.015, 0.04, px * 2.0)) * smoothstep(0.0, 0.03, gTeeth);
    col = mix(col, tc, teethM);

    // ---- outline ----
    float outlineM = 1.0 - fill(dOuter + ow);
    col = mix(col, u_outline_color, outlineM);

    // tiny dither against banding in the dark gradients
    col += (fract(sin(dot(gl_FragCoord.xy, vec2(12.9898, 78.233))) * 43758.5453) - 0.5) / 255.0;

    float alpha = fill(dOuter);
    fragColor = vec4(col, alpha * u_opacity);
}

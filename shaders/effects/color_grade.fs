/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Colour grade: lift/gamma/gain split toning driven by one temperature knob (warm highlights over cool shadows, or the reverse), an S-curve contrast, saturation and a vignette. At 1, 1, 0, 0 the frame passes unchanged.",
    "CREDIT": "livesync",
    "CATEGORIES": ["Filter", "Color Adjustment"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "contrast", "TYPE": "float", "LABEL": "Contrast", "MIN": 0.5, "MAX": 2.0,
         "DEFAULT": 1.2, "DESCRIPTION": "S-curve around mid grey (1: unchanged, below 1: flatter)"},
        {"NAME": "saturation", "TYPE": "float", "LABEL": "Saturation", "MIN": 0.0,
         "MAX": 2.0, "DEFAULT": 1.1, "DESCRIPTION": "0: black and white, 1: unchanged"},
        {"NAME": "temperature", "TYPE": "float", "LABEL": "Temperature", "MIN": -1.0,
         "MAX": 1.0, "DEFAULT": 0.2,
         "DESCRIPTION": "Positive: amber highlights over teal shadows; negative: cold highlights over warm shadows"},
        {"NAME": "vignette", "TYPE": "float", "LABEL": "Vignette", "MIN": 0.0, "MAX": 1.0,
         "DEFAULT": 0.35, "DESCRIPTION": "How dark the corners get (0: none)"}
    ]
}*/

// No pow/exp here: in software GL (llvmpipe) transcendentals cost more than the texture read,
// so the gamma and contrast curves are polynomials.

const vec3 LUMA = vec3(0.2126, 0.7152, 0.0722);

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 inSize = IMG_SIZE(inputImage);
    vec4 source = texelFetch(inputImage, clamp(ivec2(uv * inSize), ivec2(0), ivec2(inSize) - 1), 0);
    vec3 c = clamp(source.rgb, 0.0, 1.0);

    // Lift/gamma/gain coloured by temperature: gain tints the highlights, lift the shadows
    // the opposite way, and a gamma-like mid-tone bend follows the highlights.
    float t = temperature;
    vec3 gain = 1.0 + vec3(0.12, 0.015, -0.12) * t;
    vec3 lift = vec3(-0.03, 0.005, 0.035) * t;
    vec3 gamma = vec3(0.10, 0.02, -0.08) * t;  // + brightens the mid tones of a channel
    c = gain * (c + lift * (1.0 - c));
    c = clamp(c + gamma * c * (1.0 - c), 0.0, 1.0);

    // Contrast: towards a smoothstep S-curve above 1, towards mid grey below 1.
    vec3 sCurve = c * c * (3.0 - 2.0 * c);
    vec3 steeper = c + (contrast - 1.0) * (sCurve - c);
    vec3 flatter = 0.5 + (c - 0.5) * contrast;
    c = clamp(contrast >= 1.0 ? steeper : flatter, 0.0, 1.0);

    float luma = dot(c, LUMA);
    c = clamp(mix(vec3(luma), c, saturation), 0.0, 1.0);

    // Vignette: 0 at the centre, 1 in the corners, shaped for the frame's aspect.
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    vec2 d = (uv - 0.5) * vec2(aspect, 1.0);
    float r2 = dot(d, d) / (0.25 * (aspect * aspect + 1.0));
    c *= 1.0 - vignette * smoothstep(0.15, 1.1, r2);

    gl_FragColor = vec4(c, source.a);
}

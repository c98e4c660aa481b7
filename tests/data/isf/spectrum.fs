/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Spectrum bars from an audioFFT input (livesync test shader)",
    "CATEGORIES": ["Audio Reactive"],
    "INPUTS": [
        {"NAME": "fft", "TYPE": "audioFFT", "MAX": 64},
        {"NAME": "gain", "TYPE": "float", "MIN": 0.0, "MAX": 4.0, "DEFAULT": 1.0},
        {"NAME": "barColor", "TYPE": "color", "DEFAULT": [0.2, 0.9, 1.0]}
    ]
}*/
void main() {
    float bins = IMG_SIZE(fft).x;
    float x = (floor(isf_FragNormCoord.x * bins) + 0.5) / bins;
    float level = IMG_NORM_PIXEL(fft, vec2(x, 0.5)).r * gain;
    float bar = step(isf_FragNormCoord.y, level);
    gl_FragColor = vec4(barColor.rgb * bar, 1.0);
}

/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Colours from varyings its own vertex shader (shifted.vs) computes (livesync test shader)",
    "INPUTS": [
        {"NAME": "shift", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.0}
    ]
}*/
varying vec2 shifted;
varying vec2 clampedRight;

void main() {
    gl_FragColor = vec4(fract(shifted.x), clampedRight.x, 0.0, 1.0);
}

/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Tiles an imported picture over a slow scroll (livesync test shader)",
    "INPUTS": [
        {"NAME": "tiles", "TYPE": "float", "MIN": 1.0, "MAX": 16.0, "DEFAULT": 4.0}
    ],
    "IMPORTED": {
        "logo": {"PATH": "logo.png"}
    }
}*/
#version 120
varying vec2 unusedVarying;

void main() {
    vec2 uv = fract(isf_FragNormCoord * tiles + vec2(TIME * 0.1, 0.0));
    // GLSL 1.x sampling, translated to texture() on load.
    vec4 picture = texture2D(logo, uv);
    vec4 exact = IMG_PIXEL(logo, uv * IMG_SIZE(logo));
    gl_FragColor = mix(picture, exact, 0.5);
}

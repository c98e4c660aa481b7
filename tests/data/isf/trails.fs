/*{
    "ISFVSN": "2.0",
    "DESCRIPTION": "A moving dot that leaves trails: a half-size pass draws the dot, a persistent float buffer accumulates it (livesync test shader)",
    "CATEGORIES": ["Generator", "Feedback"],
    "INPUTS": [
        {"NAME": "decay", "TYPE": "float", "MIN": 0.0, "MAX": 0.99, "DEFAULT": 0.9},
        {"NAME": "dotSize", "TYPE": "float", "MIN": 0.01, "MAX": 0.5, "DEFAULT": 0.08}
    ],
    "PASSES": [
        {"TARGET": "dotLayer", "WIDTH": "$WIDTH/2", "HEIGHT": "$HEIGHT/2"},
        {"TARGET": "trails", "PERSISTENT": true, "FLOAT": true},
        {}
    ]
}*/

void main() {
    if (PASSINDEX == 0) {
        // The dot, drawn at half resolution.
        vec2 pos = vec2(0.5) + 0.35 * vec2(cos(TIME * 1.3), sin(TIME * 1.7));
        float spot = 1.0 - smoothstep(dotSize * 0.8, dotSize, distance(isf_FragNormCoord, pos));
        gl_FragColor = vec4(vec3(spot), 1.0);
    } else if (PASSINDEX == 1) {
        // Feedback: last frame's trails fade, this frame's dot is added.
        vec4 previous = IMG_THIS_PIXEL(trails);
        vec4 spot = IMG_NORM_PIXEL(dotLayer, isf_FragNormCoord);
        gl_FragColor = max(previous * decay, spot);
    } else {
        vec2 texel = 1.0 / IMG_SIZE(trails);
        vec4 glow = IMG_PIXEL(trails, gl_FragCoord.xy) + 0.5 * IMG_NORM_PIXEL(trails,
            isf_FragNormCoord + texel);
        gl_FragColor = vec4(glow.r * 0.2, glow.g * 0.8, glow.b, 1.0);
    }
}

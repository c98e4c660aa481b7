/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Rings of colour around a movable centre (livesync test shader)",
    "CREDIT": "livesync contributors",
    "CATEGORIES": ["Generator", "Test"],
    "INPUTS": [
        {"NAME": "rings", "TYPE": "float", "LABEL": "Ring count", "MIN": 1.0, "MAX": 40.0,
         "DEFAULT": 8.0},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [1.0, 0.5, 0.2, 1.0]},
        {"NAME": "center", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0.0, 0.0],
         "MAX": [1.0, 1.0]},
        {"NAME": "invert", "TYPE": "bool", "DEFAULT": false},
        {"NAME": "shape", "TYPE": "long", "VALUES": [0, 1, 2],
         "LABELS": ["Circles", "Squares", "Diamonds"], "DEFAULT": 0},
        {"NAME": "flash", "TYPE": "event"}
    ]
}*/

// A GLSL 1.x-style ISF body: gl_FragColor and varying-free, as most ISF files are.
float distanceFor(vec2 d) {
    if (shape == 1) return max(abs(d.x), abs(d.y));
    if (shape == 2) return abs(d.x) + abs(d.y);
    return length(d);
}

void main() {
    vec2 aspect = vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0);
    vec2 d = (isf_FragNormCoord - center) * aspect;
    float wave = 0.5 + 0.5 * cos(distanceFor(d) * rings * 6.2831 - TIME * 2.0);
    vec3 color = tint.rgb * wave;
    if (invert) color = 1.0 - color;
    if (flash) color = vec3(1.0);
    gl_FragColor = vec4(color, 1.0);
}

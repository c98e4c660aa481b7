/*{
  "DESCRIPTION": "Iris: the next scene opens out of a circle at a point (the character's face by default)",
  "CREDIT": "livesync",
  "ISFVSN": "2",
  "CATEGORIES": ["Wipe"],
  "INPUTS": [
    {"NAME": "startImage", "TYPE": "image"},
    {"NAME": "endImage", "TYPE": "image"},
    {"NAME": "progress", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.0},
    {"NAME": "center_x", "LABEL": "Centre x (0 left, 1 right)", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.5},
    {"NAME": "center_y", "LABEL": "Centre y (0 bottom, 1 top)", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.4},
    {"NAME": "softness", "LABEL": "Softness", "TYPE": "float", "MIN": 0.0, "MAX": 0.5, "DEFAULT": 0.01}
  ]
}*/

void main() {
    vec2 uv = isf_FragNormCoord;
    vec2 center = vec2(center_x, center_y);
    vec2 aspect = vec2(RENDERSIZE.x / RENDERSIZE.y, 1.0);
    float d = length((uv - center) * aspect);
    // The farthest corner from the centre: at progress 1 the circle covers the picture.
    vec2 far = max(center, 1.0 - center) * aspect;
    float radius = progress * (length(far) + 2.0 * softness) - softness;
    float t = smoothstep(radius - softness, radius + softness, d);
    gl_FragColor = mix(IMG_NORM_PIXEL(endImage, uv), IMG_NORM_PIXEL(startImage, uv), t);
}

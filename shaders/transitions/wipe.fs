/*{
  "DESCRIPTION": "Wipe: a soft edge sweeps across the picture at any angle, the next scene behind it",
  "CREDIT": "livesync",
  "ISFVSN": "2",
  "CATEGORIES": ["Wipe"],
  "INPUTS": [
    {"NAME": "startImage", "TYPE": "image"},
    {"NAME": "endImage", "TYPE": "image"},
    {"NAME": "progress", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.0},
    {"NAME": "angle", "LABEL": "Angle (degrees, 0 = left to right)", "TYPE": "float", "MIN": -180.0, "MAX": 180.0, "DEFAULT": 0.0},
    {"NAME": "softness", "LABEL": "Softness", "TYPE": "float", "MIN": 0.0, "MAX": 0.5, "DEFAULT": 0.05}
  ]
}*/

void main() {
    vec2 uv = isf_FragNormCoord;
    float a = radians(angle);
    vec2 dir = vec2(cos(a), sin(a));
    // Position along the sweep, 0..1 over the picture whatever the angle.
    vec2 centred = uv - 0.5;
    float reach = 0.5 * (abs(dir.x) + abs(dir.y));
    float along = dot(centred, dir) / (2.0 * reach) + 0.5;
    float edge = progress * (1.0 + 2.0 * softness) - softness;
    float t = smoothstep(edge - softness, edge + softness, along);
    gl_FragColor = mix(IMG_NORM_PIXEL(endImage, uv), IMG_NORM_PIXEL(startImage, uv), t);
}

#version 330 core
// Composites an offscreen layer over what is already drawn: a scene fading in (its colour at
// u_alpha, whatever alpha its shader wrote), or with u_premultiplied a premultiplied layer
// with its own coverage (a fading character), all of it times u_alpha.
uniform sampler2D u_layer;
uniform vec2 u_resolution;
uniform float u_alpha;
uniform bool u_premultiplied = false;
out vec4 fragColor;
void main() {
    vec4 layer = texture(u_layer, gl_FragCoord.xy / u_resolution);
    fragColor = u_premultiplied ? layer * u_alpha : vec4(layer.rgb, u_alpha);
}

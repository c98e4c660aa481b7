#version 330 core
// Composites an offscreen layer (a scene fading in) over what is already drawn.
uniform sampler2D u_layer;
uniform vec2 u_resolution;
uniform float u_alpha;
out vec4 fragColor;
void main() {
    fragColor = vec4(texture(u_layer, gl_FragCoord.xy / u_resolution).rgb, u_alpha);
}

#version 330 core
in vec2 v_uv;
uniform sampler2D u_image;
uniform float u_opacity = 1.0;
out vec4 fragColor;
void main() {
    vec4 c = texture(u_image, v_uv);
    fragColor = vec4(c.rgb, c.a * u_opacity);
}

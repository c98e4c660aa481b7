#version 330 core
in vec2 v_uv;
uniform sampler2D u_image;
uniform float u_opacity = 1.0;
// A premultiplied texture (blended with ONE, ONE_MINUS_SRC_ALPHA) fades by scaling all
// four channels; a straight one by its alpha alone.
uniform bool u_premultiplied = false;
out vec4 fragColor;
void main() {
    vec4 c = texture(u_image, v_uv);
    fragColor = u_premultiplied ? c * u_opacity : vec4(c.rgb, c.a * u_opacity);
}

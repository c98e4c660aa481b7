#version 330 core
// A drawn mouth: two drawings of the user's mouth set (layers of a texture array, so no
// drawing can bleed into its neighbour on the sheet), mixed for a cross-fade. The layers are
// premultiplied, so the mix and the blend (ONE, ONE_MINUS_SRC_ALPHA) need no division and
// transparent pixels add no colour at the edges.
in vec2 v_uv;
uniform sampler2DArray u_drawings;
uniform float u_from;      // layer fading out
uniform float u_to;        // layer fading in
uniform float u_mix;       // 0: u_from only, 1: u_to only
uniform float u_opacity = 1.0;
out vec4 fragColor;
void main() {
    vec4 a = texture(u_drawings, vec3(v_uv, u_from));
    vec4 b = texture(u_drawings, vec3(v_uv, u_to));
    fragColor = mix(a, b, u_mix) * u_opacity;
}

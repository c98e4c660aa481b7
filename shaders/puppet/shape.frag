#version 330 core
// Fills are flat; a line's coverage is its pixel-exact distance to the segment, so strokes
// and dots are anti-aliased at any output size. Fill edges lie under the strokes.
in vec4 v_color;
flat in vec4 v_segment;
flat in float v_radius;
uniform float u_opacity = 1.0;
out vec4 fragColor;
void main() {
    float cover = 1.0;
    if (v_radius >= 0.0) {
        vec2 p = gl_FragCoord.xy - v_segment.xy;
        vec2 ba = v_segment.zw - v_segment.xy;
        float h = clamp(dot(p, ba) / max(dot(ba, ba), 1e-6), 0.0, 1.0);
        cover = clamp(v_radius - length(p - ba * h) + 0.5, 0.0, 1.0);
    }
    fragColor = vec4(v_color.rgb, v_color.a * cover * u_opacity);
}

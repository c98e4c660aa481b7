#version 330 core
// The puppet's geometry, built on the CPU each frame in pixels (origin bottom-left): filled
// triangles, and quads around line segments that the fragment shader turns into capsules.
in vec2 in_pos;
in vec4 in_color;
in vec4 in_segment;  // a line's segment ends (pixels); unused by fills
in float in_radius;  // a line's half width (pixels); negative for a fill
uniform vec2 u_resolution;
out vec4 v_color;
flat out vec4 v_segment;
flat out float v_radius;
void main() {
    v_color = in_color;
    v_segment = in_segment;
    v_radius = in_radius;
    gl_Position = vec4(in_pos / u_resolution * 2.0 - 1.0, 0.0, 1.0);
}

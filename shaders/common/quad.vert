#version 330 core
// A screen-space rectangle given in pixels; v_local spans [-1, 1] across it, y up.
in vec2 in_corner;
uniform vec2 u_center;      // pixels, origin bottom-left
uniform vec2 u_half_size;   // pixels
uniform vec2 u_resolution;  // pixels
out vec2 v_local;
out vec2 v_uv;
void main() {
    v_local = in_corner;
    v_uv = in_corner * 0.5 + 0.5;
    vec2 px = u_center + in_corner * u_half_size;
    gl_Position = vec4(px / u_resolution * 2.0 - 1.0, 0.0, 1.0);
}

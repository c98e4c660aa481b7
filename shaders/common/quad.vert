#version 330 core
// A screen-space rectangle given in pixels; v_local spans [-1, 1] across the full rectangle,
// y up. u_extent (left, bottom, right, top, in local units) draws only part of it, so a
// software renderer does not shade pixels that would come out transparent.
in vec2 in_corner;
uniform vec2 u_center;      // pixels, origin bottom-left
uniform vec2 u_half_size;   // pixels
uniform vec2 u_resolution;  // pixels
uniform vec4 u_extent = vec4(-1.0, -1.0, 1.0, 1.0);
uniform float u_angle = 0.0;  // radians, counter-clockwise about u_center (a tilted head)
out vec2 v_local;
out vec2 v_uv;
void main() {
    v_local = mix(u_extent.xy, u_extent.zw, in_corner * 0.5 + 0.5);
    v_uv = v_local * 0.5 + 0.5;
    float c = cos(u_angle), s = sin(u_angle);
    vec2 px = u_center + mat2(c, s, -s, c) * (v_local * u_half_size);
    gl_Position = vec4(px / u_resolution * 2.0 - 1.0, 0.0, 1.0);
}

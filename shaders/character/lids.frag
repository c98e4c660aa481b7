#version 330 core
// An eyelid over a drawn eye: the eye is the ellipse filling the quad (v_local in [-1, 1]),
// a little larger than the drawn eye so its outline is covered too. The lid comes down from
// the top as u_closed goes 0 -> 1, in the lid colour, with a lash line along its edge.
in vec2 v_local;
uniform float u_closed;     // 0 open .. 1 shut
uniform vec3 u_lid;         // lid colour (the skin around the eye)
uniform vec3 u_line;        // lash line
uniform float u_line_width; // in local units
out vec4 fragColor;
void main() {
    float inside = 1.0 - length(v_local);        // > 0 inside the ellipse
    float edge = 1.0 - 2.0 * u_closed;            // the lid's lower edge, local y (y up)
    float below = edge - v_local.y;               // > 0 under the lid's edge: still open
    float aa = fwidth(v_local.y) + fwidth(inside);
    float covered = smoothstep(-aa, aa, -below) * smoothstep(-aa, aa, inside);
    float lash = (1.0 - smoothstep(u_line_width - aa, u_line_width + aa, abs(below)))
                 * smoothstep(-aa, aa, inside);
    vec3 colour = mix(u_lid, u_line, lash);
    float alpha = max(covered, lash) * step(0.001, u_closed);
    fragColor = vec4(colour * alpha, alpha);      // premultiplied
}

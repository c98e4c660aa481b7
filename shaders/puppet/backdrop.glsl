// A quiet backdrop for a puppet drawn alone (`livesync snapshot --landmarks FACE.json`):
// a soft teal-to-plum gradient with a light behind the head, so the outline reads clearly.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    vec3 top = vec3(0.16, 0.30, 0.36);
    vec3 bottom = vec3(0.24, 0.16, 0.28);
    vec3 col = mix(bottom, top, uv.y);
    vec2 q = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    col += 0.10 * exp(-3.0 * dot(q, q));
    fragColor = vec4(col, 1.0);
}

varying vec2 shifted;
varying vec2 clampedRight;

void main() {
    isf_vertShaderInit();
    shifted = vv_FragNormCoord + vec2(shift, 0.0);
    // Not linear in the position: interpolates as the author saw it only between the quad's
    // own corners (0.25 on the left edge, 1.0 on the right).
    clampedRight = clamp(isf_FragNormCoord + vec2(0.25, 0.0), 0.0, 1.0);
}

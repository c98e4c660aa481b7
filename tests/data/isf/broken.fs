/*{
    "ISFVSN": "2",
    "DESCRIPTION": "Does not compile on purpose: the error is on the line marked below",
    "INPUTS": [
        {"NAME": "amount", "TYPE": "float", "DEFAULT": 0.5}
    ]
}*/

void main() {
    vec3 color = vec3(amount);
    color *= undefinedBrightness; // ERROR HERE
    gl_FragColor = vec4(color, 1.0);
}

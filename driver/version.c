/* The version string, shared by the driver and the files it writes. */
const char *tec_version(void) {
    return "0.1.0";
}

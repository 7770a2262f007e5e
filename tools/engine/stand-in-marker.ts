/** Every secret stand-in carries this marker, so a scan can prove none leaked into a plain value. */
export const STAND_IN_MARKER = "offline-secret";

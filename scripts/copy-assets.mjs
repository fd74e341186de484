// Build preparation: the module index, and browser files that the classic compiler does not copy.
import "./generate-modules.mjs";

/**
 * Whether a material's name, as the catalog writes it, already says the material is needed only in some
 * cases ("残疾人证（如有）", "委托代办的，提供委托书…", "… if any"): screens then do not add their own
 * "（如有）" to it a second time.
 */
const CONDITIONAL = /如有|如需|如适用|委托代办的|\bif any\b|\bif applicable\b|\bwhere applicable\b/i;

export const saysOptional = (name: string): boolean => CONDITIONAL.test(name);

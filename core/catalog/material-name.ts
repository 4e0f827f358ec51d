/**
 * Whether a material's name, as the catalog writes it, already says the material is needed only in some
 * cases ("残疾人证（如有）", "委托代办的，提供委托书…", "社会保障卡（启用/重置时）", "… if via proxy"): such
 * a material is optional in the catalog (scripts/import-reference.ts), and screens do not add their own
 * "（如有）" to it a second time.
 */
const CONDITIONAL_ZH = /如有|如需|如适用|委托|时）|按条件|部分类别/;
const CONDITIONAL_EN = /\bif\b|\bwhere applicable\b/i;

export const saysOptional = (name: string): boolean => CONDITIONAL_ZH.test(name) || CONDITIONAL_EN.test(name);

/** Which stacks count as production for rules about production resources (checklist 5, 7, 11, 12). */
export const PRODUCTION_STACKS_SCHEMA = {
  productionStacks: {
    type: "array",
    items: { type: "string" },
    default: ["prod"],
    description: "Stacks (and GitHub deployment environments) that serve production",
  },
} as const;

export const PRODUCTION_DEFAULTS = { productionStacks: ["prod"] as string[] };

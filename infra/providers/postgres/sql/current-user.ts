/** The wrapped form Supabase recommends: an initPlan evaluated once, not a per-row function call. */
export const CURRENT_USER_ID = "(select auth.uid())";

// WCAG contrast of white button text on a colour: the console says at once what the server would refuse.
import { colord, extend } from "colord";
import a11yPlugin from "colord/plugins/a11y";

extend([a11yPlugin]);

/** WCAG 2.1 AA for normal text; the server refuses a primary colour below it. */
export const MIN_CONTRAST = 4.5;

/** The contrast ratio of white text on `color` (1 to 21), or null when it is not a #rrggbb colour. */
export function contrastOnWhite(color: string): number | null {
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) return null;
  return colord(color).contrast("#ffffff");
}

// A task's light (灯色) as a coloured dot and word; the reasons the rules gave are in its tooltip,
// so nobody has to guess why a task is red.
import { Badge, Tooltip } from "antd";
import type { LightResult } from "../api-types.js";
import { LIGHT_COLORS, LIGHT_HINTS, LIGHT_LABELS } from "../labels.js";

export function LightTag({ light }: { light: LightResult }) {
  const reasons = light.reasons.map((reason) => reason.message);
  const tip = reasons.length > 0 ? reasons.join("\n") : LIGHT_HINTS[light.light];
  return (
    <Tooltip title={<span style={{ whiteSpace: "pre-line" }}>{tip}</span>}>
      <Badge color={LIGHT_COLORS[light.light]} text={LIGHT_LABELS[light.light]} data-light={light.light} style={{ whiteSpace: "nowrap" }} />
    </Tooltip>
  );
}

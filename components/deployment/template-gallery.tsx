import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { TemplateWithEstimate } from "@/lib/deployments/template-gallery";

/** A template as the gallery shows it; the estimate already formatted on the server. */
export type TemplateCard = Omit<TemplateWithEstimate, "estimatedPricePerHour"> & {
  /** "$2.10/h", or null without recent prices for its GPUs. */
  estimate: string | null;
};

/** Ready-made workloads: what each runs, on which GPUs, and about what it costs per hour. */
export function TemplateGallery({
  templates,
  selected,
  onUse,
}: {
  templates: TemplateCard[];
  selected: string | null;
  onUse: (template: TemplateCard) => void;
}) {
  return (
    <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Templates">
      {templates.map((template) => {
        const isSelected = template.slug === selected;
        return (
          <li
            key={template.slug}
            data-testid="template-card"
            className={`flex min-w-0 flex-col rounded-lg bg-white p-4 ring-1 ${
              isSelected ? "ring-2 ring-brand-600" : "ring-slate-200 hover:ring-slate-300"
            }`}
          >
            <div className="flex items-start justify-between gap-2">
              <Badge tone="gray">{template.category}</Badge>
              {isSelected && <Badge tone="blue">In the editor</Badge>}
            </div>
            <h3 className="mt-2 text-sm font-semibold text-slate-900">{template.name}</h3>
            <p className="mt-1 line-clamp-3 text-xs text-slate-600" title={template.description}>
              {template.description}
            </p>
            <div className="mt-auto pt-3">
              <p className="flex items-center gap-1.5 text-xs font-medium text-slate-700">
                <span aria-hidden className="inline-block h-2 w-2 shrink-0 rounded-sm bg-brand-500" />
                {template.gpuSummary}
              </p>
              <div className="mt-3 flex items-center justify-between gap-3">
                <p className="text-xs text-slate-500">
                  {template.estimate ? (
                    <>
                      <span className="text-base font-semibold tabular-nums text-slate-900">
                        ~{template.estimate}
                      </span>{" "}
                      estimated
                    </>
                  ) : (
                    "No estimate yet"
                  )}
                </p>
                <Button
                  size="sm"
                  variant={isSelected ? "secondary" : "primary"}
                  onClick={() => onUse(template)}
                  aria-label={`${isSelected ? "Reload" : "Use"} template ${template.name}`}
                  className="shrink-0"
                >
                  {isSelected ? "Reload" : "Use template"}
                </Button>
              </div>
              <p className="mt-1 text-[11px] leading-4 text-slate-400">{template.estimateBasis}</p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

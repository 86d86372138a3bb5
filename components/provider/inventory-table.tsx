import { StateBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ConfirmAction } from "@/components/ui/confirm-action";
import type { FormAction } from "@/components/ui/form-state";
import { StackCell, StackRow, StackTable } from "@/components/ui/stack-table";
import { UsageBar } from "@/components/ui/usage-bar";
import { cpu, size } from "@/lib/format";
import type { InventoryRecord } from "@/lib/market/market.repository";

function isFree(item: InventoryRecord): boolean {
  return item.allocated.gpu === 0 && item.allocated.cpuMillicores === 0;
}

const INTERFACE_LABELS: Record<string, string> = { pcie: "PCIe", sxm: "SXM" };

function modelName(item: InventoryRecord): string {
  return `${item.gpu.vendor === "nvidia" ? "NVIDIA" : item.gpu.vendor.toUpperCase()} ${item.gpu.model.toUpperCase()}`;
}

export function InventoryTable({
  items,
  removeAction,
}: {
  items: InventoryRecord[];
  removeAction: FormAction;
}) {
  if (items.length === 0) {
    return (
      <EmptyState title="No inventory listed">
        Add your first machine with the form below: GPU model, VRAM and count plus CPU, memory and storage.
        Orders your free capacity can serve then appear above.
      </EmptyState>
    );
  }
  return (
    <StackTable head={["GPU", "VRAM", "Interface", "GPUs in use", "CPU", "Memory", "Storage", "State", ""]}>
      {items.map((item) => (
        <StackRow key={item.id}>
          <StackCell label="" primary className="font-medium text-slate-900">
            {modelName(item)}
          </StackCell>
          <StackCell label="VRAM" className="tabular-nums">
            {item.gpu.memoryGiB} GiB
          </StackCell>
          <StackCell label="Interface">
            {INTERFACE_LABELS[item.gpu.interface] ?? item.gpu.interface}
          </StackCell>
          <StackCell label="GPUs">
            <UsageBar
              used={item.allocated.gpu}
              total={item.gpu.count}
              label={`${modelName(item)} GPUs in use`}
            />
          </StackCell>
          <StackCell label="CPU" className="tabular-nums">
            {cpu(item.cpuMillicores)}
          </StackCell>
          <StackCell label="Memory" className="tabular-nums">
            {size(item.memoryBytes)}
          </StackCell>
          <StackCell label="Storage" className="tabular-nums">
            {size(item.storageBytes)}
          </StackCell>
          <StackCell label="State">
            <StateBadge
              state={
                isFree(item) ? "free" : item.allocated.gpu < item.gpu.count ? "partly allocated" : "allocated"
              }
            />
          </StackCell>
          <StackCell label="" actions>
            {isFree(item) ? (
              <ConfirmAction
                action={removeAction}
                fields={{ id: item.id }}
                label="Remove"
                prompt="Delist?"
                accessibleName={`Remove ${item.gpu.count}× ${modelName(item)}`}
              />
            ) : (
              <span className="text-xs text-slate-400 max-sm:hidden">in use</span>
            )}
          </StackCell>
        </StackRow>
      ))}
    </StackTable>
  );
}

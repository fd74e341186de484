// The static location preview of a listing page: an SVG drawn on the server from the
// tenant's map bounds, no tiles and no script. Its text alternative says where the point
// lies; the address itself is written out beside it.
import { useTranslation } from "react-i18next";
import type { PreviewGeometry } from "../preview";

export function LocationPreview({ geometry, id }: { geometry: PreviewGeometry; id: string }) {
  const { t } = useTranslation("directory");
  const { width, height, x, y, grid, scale } = geometry;
  const titleId = `${id}-title`;
  const captionId = `${id}-caption`;
  const scaleLabel = scale.metres >= 1000 ? `${scale.metres / 1000} km` : `${scale.metres} m`;
  const where = geometry.inside ? t(`public.preview.area.${geometry.area}`) : t("public.preview.outside");
  return (
    <figure className="directory-preview">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`-1 -1 ${width + 2} ${height + 2}`}
        width={width + 2}
        height={height + 2}
        role="img"
        aria-labelledby={`${titleId} ${captionId}`}
        className="directory-preview__svg"
        data-point={`${x},${y}`}
      >
        <title id={titleId}>{t("public.preview.title")}</title>
        <rect x="0" y="0" width={width} height={height} fill="#f1f5f9" stroke="#334155" strokeWidth="2" />
        {grid.xs.map((gx) => (
          <line key={`x${gx}`} x1={gx} y1="0" x2={gx} y2={height} stroke="#cbd5e1" strokeWidth="1" strokeDasharray="4 4" />
        ))}
        {grid.ys.map((gy) => (
          <line key={`y${gy}`} x1="0" y1={gy} x2={width} y2={gy} stroke="#cbd5e1" strokeWidth="1" strokeDasharray="4 4" />
        ))}
        <line x1={x} y1="0" x2={x} y2={height} stroke="#64748b" strokeWidth="1" />
        <line x1="0" y1={y} x2={width} y2={y} stroke="#64748b" strokeWidth="1" />
        <circle className="directory-preview__point" cx={x} cy={y} r="9" fill="#b91c1c" stroke="#ffffff" strokeWidth="3" />
        <circle cx={x} cy={y} r="2.5" fill="#ffffff" />
        <g aria-hidden="true">
          <path d={`M ${width - 18} 30 L ${width - 12} 14 L ${width - 6} 30 Z`} fill="#334155" />
          <text x={width - 12} y="44" textAnchor="middle" fontSize="12" fontFamily="system-ui, sans-serif" fill="#334155">
            {t("public.preview.north")}
          </text>
          <line x1="10" y1={height - 12} x2={10 + scale.pixels} y2={height - 12} stroke="#334155" strokeWidth="3" />
          <text x="10" y={height - 18} fontSize="12" fontFamily="system-ui, sans-serif" fill="#334155">
            {scaleLabel}
          </text>
        </g>
      </svg>
      <figcaption id={captionId}>{where}</figcaption>
    </figure>
  );
}

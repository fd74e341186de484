// Distances on the sphere in SQL (there is no PostGIS): the haversine formula, in metres.
// Good to a few metres at a town's scale, which is all the directory needs.
import { sql, type RawBuilder } from "kysely";

export const EARTH_RADIUS_M = 6_371_000;

type Coordinate = RawBuilder<number> | number | ReturnType<typeof sql.ref>;

/** Metres between two points given as SQL expressions or numbers (latitude, longitude in degrees). */
export function distanceMetres(lat1: Coordinate, lon1: Coordinate, lat2: Coordinate, lon2: Coordinate): RawBuilder<number> {
  return sql<number>`(2 * ${EARTH_RADIUS_M} * asin(sqrt(
    power(sin(radians(${lat2}::double precision - ${lat1}::double precision) / 2), 2)
    + cos(radians(${lat1}::double precision)) * cos(radians(${lat2}::double precision))
      * power(sin(radians(${lon2}::double precision - ${lon1}::double precision) / 2), 2)
  )))`;
}

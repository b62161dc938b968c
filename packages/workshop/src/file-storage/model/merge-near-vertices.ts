import type { VertexTable } from './vertex-table.js';
import { weldPoints, type WeldGrid } from './weld-vertices.js';

/**
 * Float32 values near x are at least |x|·2^-24 apart, so two distinct ones within `tolerance`
 * are both below tolerance·(2^24 + 1) in magnitude; the extra unit covers rounding of the bound.
 */
const float32SpacingFactor = 2 ** 24 + 2;

/**
 * The tolerance pass of the binary path, after exact welding: merges distinct float32
 * vertices within the weld tolerance of each other and renumbers the corners. Two distinct
 * float32 coordinates closer than `tolerance` both have a magnitude below ~tolerance·2^24, so
 * only vertices with such a small coordinate need the (slower) tolerance welder: usually a
 * small fraction of the model. Returns how many vertices were merged away.
 */
export function mergeNearVertices(vertices: VertexTable, vertexOfCorner: Int32Array, grid: WeldGrid): number {
  const count = vertices.count;
  const coordinates = new Float32Array(vertices.points.buffer, vertices.points.byteOffset, count * 3);
  const threshold = grid.tolerance * float32SpacingFactor;
  const candidates = new Int32Array(count);
  let candidateCount = 0;
  for (let vertex = 0, k = 0; vertex < count; vertex++, k += 3) {
    if (Math.abs(coordinates[k]!) <= threshold || Math.abs(coordinates[k + 1]!) <= threshold || Math.abs(coordinates[k + 2]!) <= threshold) {
      candidates[candidateCount++] = vertex;
    }
  }
  if (candidateCount < 2) return 0;
  const points = new Float32Array(candidateCount * 3);
  for (let i = 0; i < candidateCount; i++) points.set(coordinates.subarray(candidates[i]! * 3, candidates[i]! * 3 + 3), i * 3);
  // Exact welding already ran: most candidates stay vertices of their own.
  const welded = weldPoints(points, grid, candidateCount);
  if (welded.vertexCount === candidateCount) return 0;
  const renumber = new Int32Array(count);
  for (let vertex = 0; vertex < count; vertex++) renumber[vertex] = vertex;
  for (let i = 0; i < candidateCount; i++) renumber[candidates[i]!] = candidates[welded.firstPoint[welded.vertexOfPoint[i]!]!]!;
  for (let corner = 0; corner < vertexOfCorner.length; corner++) vertexOfCorner[corner] = renumber[vertexOfCorner[corner]!]!;
  return candidateCount - welded.vertexCount;
}

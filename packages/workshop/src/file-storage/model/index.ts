export {
  analyseStl, analyseModelFile, createModelAnalyser, defaultAnalyseStlOptions, type AnalyseStlOptions, type ModelAnalyser, type ModelAnalysis,
} from './analyse-stl.js';
export { modelErrorCodes, type ModelErrorCode } from './model-errors.js';
export { cubeMesh, uvSphereMesh, torusMesh, ringMesh, type UvSphereOptions, type TorusOptions, type RingOptions } from './generate-mesh.js';
export { toBinaryStl, toAsciiStl } from './write-stl.js';
export type { TriangleCoordinates, Vector3 } from './measure-mesh.js';
export { helperThreadReady } from './helper-thread.js';

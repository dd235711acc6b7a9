/**
 * Evaluation values and charts beside {@link dev.litenet.Evaluation}: calibration, accuracy, latency, comparisons.
 */
package dev.litenet.eval;

/**
 * The fused CPU training step: the Deep DMD loss of {@code DeepKoopmanGraph}, its gradients and the
 * optimiser update, run as BLAS calls and vectorised Java loops on buffers allocated once per
 * engine. SameDiff stays the definition of each model and the reference its gradients are tested against.
 */
package koopman4j.trainer.fused;

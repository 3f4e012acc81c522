/**
 * What a trained model is to its users, whatever its kind: {@link koopman4j.core.model.KoopmanModel}
 * (predict, evaluate, the stability certificate, save). Deep DMD and the SP-NODE implement it in
 * koopman4j-layers, E-DMD in koopman4j-edmd; {@code koopman4j.api} fits and loads them.
 */
package koopman4j.core.model;

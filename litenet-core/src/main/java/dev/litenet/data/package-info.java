/**
 * Images in: checked decoding, image folders, the preprocessing a model carries ({@link dev.litenet.data.Preprocess})
 * and the report of an image that could not be used ({@link dev.litenet.data.BadImage}).
 */
package dev.litenet.data;

package com.example.classifier;

import dev.litenet.AsyncClassifier;
import dev.litenet.ImageClassifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * One classifier for the whole service (an ImageClassifier is thread-safe), and its batching front: concurrent
 * requests run as one forward pass. Start: {@code java --add-modules jdk.incubator.vector -jar target/classifier.jar}.
 */
@SpringBootApplication
public class ClassifierService {
    public static void main(String[] args) {
        SpringApplication.run(ClassifierService.class, args);
    }

    @Bean
    ImageClassifier classifier() {
        return ImageClassifier.pretrained("mobilenet_v2_1.0_224_quant");   // from litenet-weights-mobilenet, offline
    }

    @Bean(destroyMethod = "close")
    AsyncClassifier batched(ImageClassifier classifier) {
        return classifier.async();
    }
}

package com.example.classifier;

import dev.litenet.AsyncClassifier;
import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import dev.litenet.WeightsUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/** POST /predict?top=K with a JPEG, PNG, BMP or GIF as the body: the top K ImageNet classes as JSON. */
@RestController
class PredictController {
    private final ImageClassifier classifier;
    private final AsyncClassifier batched;

    PredictController(ImageClassifier classifier, AsyncClassifier batched) {
        this.classifier = classifier;
        this.batched = batched;
    }

    @PostMapping(path = "/predict", consumes = MediaType.ALL_VALUE)
    CompletableFuture<List<Prediction>> predict(@RequestBody byte[] image, @RequestParam(defaultValue = "5") int top) {
        return batched.predict(classifier.prepare("upload", image), top);   // decoded here, batched with other requests
    }

    @ExceptionHandler(BadInputException.class)
    ResponseEntity<Map<String, String>> badImage(BadInputException e) {
        return ResponseEntity.status(422).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler({WeightsUnavailableException.class, RejectedExecutionException.class})
    ResponseEntity<Map<String, String>> unavailable(RuntimeException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
    }
}

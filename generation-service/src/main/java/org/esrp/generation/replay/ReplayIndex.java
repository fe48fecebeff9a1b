package org.esrp.generation.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.generation.config.ReplayConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The recorded ChatAnime dialogues, indexed for replay: per model (the file's name) and character, each dialogue's
 * questions and answers. Loaded in the background at start when replay is on, else on first use.
 */
@ApplicationScoped
public class ReplayIndex {

    private static final Logger LOG = Logger.getLogger(ReplayIndex.class);

    private final ObjectMapper mapper;
    private final Path dataDir;
    private final boolean enabled;
    private volatile Map<String, Map<String, List<Recorded>>> byModel;
    /** Per character, every model's dialogues by their round-1 question: a question is shared by all the models. */
    private volatile Map<String, Map<String, List<Recorded>>> byQuestion;

    public ReplayIndex(ObjectMapper mapper, ReplayConfig config) {
        this.mapper = mapper;
        this.dataDir = Path.of(config.dataDir());
        this.enabled = config.enabled();
    }

    // Loading the 17 MB of recorded dialogues takes 1-3 s on a busy machine: on first use, every call of a run's first
    // moments waited for it.
    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        Thread loader = new Thread(() -> {
            try {
                long started = System.nanoTime();
                index();
                LOG.infof("replay: recorded dialogues of %d models loaded in %d ms", byModel.size(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warnf("replay: %s", e.getMessage());
            }
        }, "replay-index");
        loader.setDaemon(true);
        loader.start();
    }

    /** One recorded dialogue of one model as one character. */
    public record Recorded(String question1, String answer1, String question2, String answer2) {
    }

    boolean loaded() {
        return byModel != null;
    }

    public boolean hasModel(String model) {
        return index().containsKey(model);
    }

    /** The recorded dialogues of a model as the character whose label or name the text mentions. */
    public Optional<List<Recorded>> dialogues(String model, String mentioningCharacter) {
        Map<String, List<Recorded>> characters = index().get(model);
        return characters == null ? Optional.empty() : characterIn(characters, mentioningCharacter).map(characters::get);
    }

    /**
     * Every model's recorded dialogues as the character the text mentions whose round-1 question the text quotes: a
     * look-up per question instead of a search through every dialogue of every model. Models quote some questions with
     * other punctuation, so what is not found here is looked for in {@link #allModels}.
     */
    public List<Recorded> askedIn(String text) {
        List<Recorded> asked = new ArrayList<>();
        questionsOf(text).ifPresent(questions -> questions.forEach((question, dialogues) -> {
            if (!question.isEmpty() && text.contains(question)) {
                asked.addAll(dialogues);
            }
        }));
        return asked;
    }

    /** Every model's recorded dialogues as the character the text mentions. */
    public List<Recorded> allModels(String text) {
        List<Recorded> all = new ArrayList<>();
        questionsOf(text).ifPresent(questions -> questions.values().forEach(all::addAll));
        return all;
    }

    private Optional<Map<String, List<Recorded>>> questionsOf(String text) {
        index();
        return characterIn(byQuestion, text).map(byQuestion::get);
    }

    private static Optional<String> characterIn(Map<String, ?> characters, String text) {
        Optional<String> byLabel = characters.keySet().stream().filter(text::contains).findFirst();
        if (byLabel.isPresent()) {
            return byLabel;
        }
        return characters.keySet().stream()
                .filter(label -> text.contains(nameOf(label)))
                .max((a, b) -> Integer.compare(nameOf(a).length(), nameOf(b).length()));
    }

    static String nameOf(String label) {
        int at = label.indexOf("》的");
        return at < 0 ? label : label.substring(at + 2);
    }

    private Map<String, Map<String, List<Recorded>>> index() {
        if (byModel == null) {
            synchronized (this) {
                if (byModel == null) {
                    Map<String, Map<String, List<Recorded>>> models = load();
                    Map<String, Map<String, List<Recorded>>> questions = new HashMap<>();
                    models.values().forEach(characters -> characters.forEach((character, dialogues) -> dialogues.forEach(d ->
                            questions.computeIfAbsent(character, c -> new HashMap<>())
                                    .computeIfAbsent(d.question1(), q -> new ArrayList<>()).add(d))));
                    byQuestion = questions;
                    byModel = models;
                }
            }
        }
        return byModel;
    }

    private Map<String, Map<String, List<Recorded>>> load() {
        Map<String, Map<String, List<Recorded>>> models = new HashMap<>();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String model = file.getFileName().toString().replaceFirst("\\.json$", "");
                Map<String, List<Recorded>> characters = new HashMap<>();
                JsonNode root = mapper.readTree(file.toFile());
                root.fields().forEachRemaining(character -> {
                    List<Recorded> dialogues = new ArrayList<>();
                    for (JsonNode d : character.getValue()) {
                        dialogues.add(new Recorded(d.path("question_r1").asText(), d.path("answer_r1").asText(),
                                d.path("question_r2").asText(), d.path("answer_r2").asText()));
                    }
                    characters.put(character.getKey(), dialogues);
                });
                models.put(model, characters);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ChatAnime data set in " + dataDir.toAbsolutePath()
                    + " (set ESRP_REPLAY_DATA_DIR)", e);
        }
        return models;
    }
}

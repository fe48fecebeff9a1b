package org.esrp.generation.service;

import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.StudyCharacter;

/**
 * The study's prompts. The system prompt follows the published design: the model plays the character as a good
 * friend of the user, aiming at a good emotional-support experience while keeping the character's knowledge,
 * personality and way of speaking. The data set is Chinese, so are the prompts.
 */
public final class Prompts {

    public static final String DEFAULT_SIMULATOR_PROMPT = """
            你是一名用户模拟器。你扮演的用户正在和{character}聊天，向对方倾诉自己的情绪和生活中的事情。
            用户的身份：{persona}；用户的情绪：{emotion}；发生的事情：{event}。
            第一轮对话如下。
            用户：{question}
            {character}：{answer}
            请以这位用户的口吻，写出用户在第二轮中自然的回复：承接{character}的回答，继续表达自己的感受或追问。
            只输出用户要说的话，不要加任何说明或前缀。""";

    private Prompts() {
    }

    public static String system(StudyCharacter character) {
        StringBuilder prompt = new StringBuilder()
                .append("你现在是").append(character.label).append("。")
                .append("你是用户的好朋友。用户会向你倾诉生活中的事情和情绪，你的目标是给用户带来良好的情感支持体验，")
                .append("同时始终保持").append(character.name).append("的知识、性格和说话方式，不要跳出角色，不要提及你是AI。\n");
        appendIfPresent(prompt, "角色性格", character.personality);
        appendIfPresent(prompt, "说话风格", character.speechStyle);
        appendIfPresent(prompt, "角色经历", character.history);
        return prompt.toString().strip();
    }

    public static String simulator(String template, StudyCharacter character, Scenario scenario, String question, String answer) {
        return template
                .replace("{character}", character.name)
                .replace("{persona}", orUnknown(scenario.persona))
                .replace("{emotion}", orUnknown(scenario.emotion))
                .replace("{event}", orUnknown(scenario.event))
                .replace("{question}", question)
                .replace("{answer}", answer);
    }

    private static void appendIfPresent(StringBuilder prompt, String heading, String text) {
        if (text != null && !text.isBlank()) {
            prompt.append(heading).append("：").append(text.strip()).append('\n');
        }
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? "未知" : value;
    }
}
